"""`RMSprop`: divide the gradient by a moving root mean square of recent gradients."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["RMSprop"]


def _scalar(p):
    return slot_init.zeros((), p.dtype, like=p)


@register_builtin("keras.optimizers")
class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012), as Keras 3 computes it.

    `v = rho * v + (1 - rho) * g**2`; `step = lr * g / sqrt(v + epsilon)` (epsilon inside the
    square root, unlike `optax.rmsprop`); centered: `v - mean_g**2 + epsilon`. With momentum,
    `mom = momentum * mom + step` and `w -= mom`; otherwise `w -= step`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        rho: Discounting factor of the gradient history.
        momentum: Momentum factor (0 for none).
        epsilon: Small constant for numerical stability.
        centered: Whether to normalize by the estimated variance of the gradient.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> RMSprop().get_config()["rho"]
        0.9
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def _rule(self) -> UpdateRule:
        rho, momentum, epsilon, centered = self.rho, self.momentum, self.epsilon, self.centered

        def update(g, p, lr, t, velocity, average, mom):
            velocity = rho * velocity + (1 - rho) * jnp.square(g)
            if centered:
                average = rho * average + (1 - rho) * g
                denominator = velocity - jnp.square(average) + epsilon
            else:
                denominator = velocity + epsilon
            increment = lr * g / jnp.sqrt(denominator)
            if momentum > 0:
                mom = momentum * mom + increment
                return -mom, (velocity, average, mom)
            return -increment, (velocity, average, mom)

        return leafwise_rule((slot_init.zeros_like, slot_init.zeros_like if centered else _scalar,
                              slot_init.zeros_like if momentum > 0 else _scalar), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
