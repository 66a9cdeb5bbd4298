"""`Adagrad`: per-parameter learning rates from the sum of squared gradients."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Adagrad"]


@register_builtin("keras.optimizers")
class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), as Keras 3 computes it.

    `acc += g**2`; `w -= lr * g / sqrt(acc + epsilon)`, with `acc` starting at
    `initial_accumulator_value`.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        initial_accumulator_value: Starting value of the accumulators (non-negative).
        epsilon: Small constant for numerical stability.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> Adagrad().get_config()["initial_accumulator_value"]
        0.1
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _rule(self) -> UpdateRule:
        initial, epsilon = self.initial_accumulator_value, self.epsilon

        def update(g, p, lr, t, accumulator):
            accumulator = accumulator + jnp.square(g)
            return -(lr * g) / jnp.sqrt(accumulator + epsilon), (accumulator,)

        return leafwise_rule((lambda p: slot_init.full_like(p, initial),), update)

    def get_config(self) -> dict:
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
