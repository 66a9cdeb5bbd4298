"""`Adadelta`: adaptive learning rates from moving windows of gradient updates."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Adadelta"]


@register_builtin("keras.optimizers")
class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), as Keras 3 computes it.

    `acc_g = rho * acc_g + (1 - rho) * g**2`;
    `delta = -sqrt(acc_d + eps) * g / sqrt(acc_g + eps)`;
    `acc_d = rho * acc_d + (1 - rho) * delta**2`; `w += lr * delta`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        rho: The decay rate.
        epsilon: Small constant for numerical stability.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> Adadelta().get_config()["rho"]
        0.95
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def _rule(self) -> UpdateRule:
        rho, epsilon = self.rho, self.epsilon

        def update(g, p, lr, t, accumulated_grad, accumulated_delta):
            accumulated_grad = rho * accumulated_grad + (1 - rho) * jnp.square(g)
            delta = -(jnp.sqrt(accumulated_delta + epsilon) * g) / jnp.sqrt(
                accumulated_grad + epsilon)
            accumulated_delta = rho * accumulated_delta + (1 - rho) * jnp.square(delta)
            return lr * delta, (accumulated_grad, accumulated_delta)

        return leafwise_rule((slot_init.zeros_like, slot_init.zeros_like), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
