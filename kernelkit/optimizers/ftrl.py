"""`Ftrl`: Follow The Regularized Leader, with L1/L2 and shrinkage regularization."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Ftrl"]

_NON_NEGATIVE = ("initial_accumulator_value", "l1_regularization_strength",
                 "l2_regularization_strength", "l2_shrinkage_regularization_strength")


@register_builtin("keras.optimizers")
class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), as Keras 3 computes it.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        learning_rate_power: Non-positive power of the accumulator in the rate.
        initial_accumulator_value: Non-negative starting value of the accumulators.
        l1_regularization_strength: Non-negative L1 strength (sparsifies the weights).
        l2_regularization_strength: Non-negative L2 strength (stabilization penalty).
        l2_shrinkage_regularization_strength: Non-negative L2 shrinkage (magnitude penalty).
        beta: Adds `beta / (2 * lr)` to the L2 strength.
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Raises:
        ValueError: if a strength or the accumulator is negative, or the power is positive.

    Example:
        >>> Ftrl().get_config()["learning_rate_power"]
        -0.5
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        values = dict(zip(_NON_NEGATIVE, (initial_accumulator_value, l1_regularization_strength,
                                          l2_regularization_strength,
                                          l2_shrinkage_regularization_strength)))
        for arg, value in values.items():
            if value < 0:
                raise ValueError(
                    f"Ftrl: {arg} must be non-negative. Expected {arg} >= 0. Received: "
                    f"{arg}={value!r}. Pass 0 or a positive value."
                )
        if learning_rate_power > 0:
            raise ValueError(
                "Ftrl: learning_rate_power must be negative or zero. Expected "
                f"learning_rate_power <= 0. Received: learning_rate_power={learning_rate_power!r}."
                " Use e.g. -0.5."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def _rule(self) -> UpdateRule:
        power = self.learning_rate_power
        l1, shrinkage = self.l1_regularization_strength, self.l2_shrinkage_regularization_strength
        l2_base, beta = self.l2_regularization_strength, self.beta
        initial = self.initial_accumulator_value

        def update(g, p, lr, t, accumulator, linear):
            l2 = l2_base + beta / (2.0 * lr)
            new_accumulator = accumulator + jnp.square(g)
            linear = linear + (g + 2 * shrinkage * p) - (
                jnp.power(new_accumulator, -power) - jnp.power(accumulator, -power)) / lr * p
            quadratic = jnp.power(new_accumulator, -power) / lr + 2 * l2
            new_p = (jnp.clip(linear, -l1, l1) - linear) / quadratic
            return new_p - p, (new_accumulator, linear)

        return leafwise_rule((lambda p: slot_init.full_like(p, initial), slot_init.zeros_like),
                             update)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
