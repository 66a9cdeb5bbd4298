"""`LearningRateSchedule`: the base of learning rates that change with the optimizer step."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import floatx
from kernelkit.registry import register_builtin

__all__ = ["LearningRateSchedule"]


@register_builtin("keras.optimizers.schedules")
class LearningRateSchedule:
    """A learning rate as a function of the optimizer step.

    Subclasses implement `__call__(step)` with `jax.numpy` operations only, so a schedule
    can be evaluated inside a jitted training step, and `get_config()` so that it can be
    saved. `from_config(config)` calls the constructor with the config.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1)
        ...     def get_config(self):
        ...         return {"initial_learning_rate": self.initial_learning_rate}
        >>> float(Halving(1.0)(1))
        0.5
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"{type(self).__name__}: learning rate schedules must override "
            "`__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"{type(self).__name__}: learning rate schedules must override `get_config()` "
            "to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict):
        """Rebuilds the schedule from `get_config()`'s output."""
        return cls(**config)


def to_float_array(value):
    """Converts a Python number to a `floatx()` scalar; arrays keep their float dtype."""
    if hasattr(value, "dtype") and jnp.issubdtype(value.dtype, jnp.floating):
        return jnp.asarray(value)
    return jnp.asarray(value, dtype=floatx())


def check_positive_steps(who: str, arg: str, value) -> None:
    """Raises the Keras error for a non-positive decay length."""
    if value <= 0:
        raise ValueError(
            f"{who}: the number of decay steps must be positive. Expected {arg} > 0. "
            f"Received: {arg}={value!r}. Pass a positive number of steps."
        )
