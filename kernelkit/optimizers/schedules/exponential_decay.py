"""`ExponentialDecay`: `initial_learning_rate * decay_rate ** (step / decay_steps)`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_positive_steps,
    to_float_array,
)
from kernelkit.registry import register_builtin

__all__ = ["ExponentialDecay"]


@register_builtin("keras.optimizers.schedules")
class ExponentialDecay(LearningRateSchedule):
    """Decays the learning rate exponentially with the step.

    `lr(step) = initial_learning_rate * decay_rate ** (step / decay_steps)`, with an integer
    division when `staircase=True`.

    Args:
        initial_learning_rate: The learning rate at step 0.
        decay_steps: Positive number of steps over which the rate is multiplied by
            `decay_rate` once.
        decay_rate: The decay factor.
        staircase: If `True`, decay at discrete intervals.
        name: Name of the schedule.

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
        >>> round(float(schedule(10)), 6)
        0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        check_positive_steps("ExponentialDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        initial = to_float_array(self.initial_learning_rate)
        p = jnp.asarray(step, initial.dtype) / jnp.asarray(self.decay_steps, initial.dtype)
        if self.staircase:
            p = jnp.floor(p)
        return initial * jnp.power(jnp.asarray(self.decay_rate, initial.dtype), p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
