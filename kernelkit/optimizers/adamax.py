"""`Adamax`: the infinity-norm variant of Adam."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Adamax"]


@register_builtin("keras.optimizers")
class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7), as Keras 3 computes it.

    `m += (g - m) * (1 - beta_1)`, `u = max(beta_2 * u, |g|)`,
    `w -= lr * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Decay rate of the first moment.
        beta_2: Decay rate of the infinity norm.
        epsilon: Small constant for numerical stability.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> Adamax().get_config()["beta_2"]
        0.999
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _rule(self) -> UpdateRule:
        beta_1, beta_2, epsilon = self.beta_1, self.beta_2, self.epsilon

        def update(g, p, lr, t, m, u):
            m = m + (g - m) * (1 - beta_1)
            u = jnp.maximum(beta_2 * u, jnp.abs(g))
            return -(lr * m) / ((1 - beta_1 ** t) * (u + epsilon)), (m, u)

        return leafwise_rule((slot_init.zeros_like, slot_init.zeros_like), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
