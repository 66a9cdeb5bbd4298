"""`Lion`: the sign of an interpolated momentum (evolved sign momentum)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Lion"]


@register_builtin("keras.optimizers")
class Lion(Optimizer):
    """Lion (Chen et al., 2023), as Keras 3 computes it.

    `w -= lr * sign(beta_1 * m + (1 - beta_1) * g)`; `m = beta_2 * m + (1 - beta_2) * g`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Interpolation factor of the update, in `(0, 1]`.
        beta_2: Decay rate of the momentum.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Raises:
        ValueError: if `beta_1` is not in `(0, 1]`.

    Example:
        >>> Lion().get_config()["beta_2"]
        0.99
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Lion: beta_1 must be in (0, 1]; otherwise Lion degenerates to SignSGD. "
                f"Expected 0 < beta_1 <= 1. Received: beta_1={beta_1!r}. Use e.g. 0.9."
            )
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def _rule(self) -> UpdateRule:
        b_1, b_2 = self.beta_1, self.beta_2

        def update(g, p, lr, t, m):
            beta_1, beta_2 = jnp.asarray(b_1, p.dtype), jnp.asarray(b_2, p.dtype)
            step = -lr * jnp.sign(m * beta_1 + g * (1.0 - beta_1))
            return step, (m * beta_2 + g * (1.0 - beta_2),)

        return leafwise_rule((slot_init.zeros_like,), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
