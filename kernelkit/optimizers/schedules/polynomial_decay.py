"""`PolynomialDecay`: a polynomial ramp from `initial_learning_rate` to `end_learning_rate`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_positive_steps,
    to_float_array,
)
from kernelkit.registry import register_builtin

__all__ = ["PolynomialDecay"]


@register_builtin("keras.optimizers.schedules")
class PolynomialDecay(LearningRateSchedule):
    """Decays the learning rate polynomially to `end_learning_rate` in `decay_steps` steps.

    `lr(step) = (initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end`.
    With `cycle=True`, `decay_steps` is stretched to the first multiple above `step`.

    Args:
        initial_learning_rate: The learning rate at step 0.
        decay_steps: Positive number of steps to reach `end_learning_rate`.
        end_learning_rate: The final learning rate.
        power: The power of the polynomial.
        cycle: Whether to restart the decay past `decay_steps`.
        name: Name of the schedule.

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
        >>> round(float(schedule(5)), 6)
        0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        check_positive_steps("PolynomialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial = to_float_array(self.initial_learning_rate)
        dtype = initial.dtype
        end = jnp.asarray(self.end_learning_rate, dtype)
        step = jnp.asarray(step, dtype)
        decay_steps = jnp.asarray(self.decay_steps, dtype)
        if self.cycle:
            multiplier = jnp.where(step == 0, 1.0, jnp.ceil(step / decay_steps))
            decay_steps = decay_steps * multiplier.astype(dtype)
        else:
            step = jnp.minimum(step, decay_steps)
        p = step / decay_steps
        return (initial - end) * jnp.power(1 - p, jnp.asarray(self.power, dtype)) + end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
