"""`PiecewiseConstantDecay`: constant learning rates between step boundaries."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import floatx
from kernelkit.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from kernelkit.registry import register_builtin

__all__ = ["PiecewiseConstantDecay"]


@register_builtin("keras.optimizers.schedules")
class PiecewiseConstantDecay(LearningRateSchedule):
    """A piecewise constant learning rate.

    The rate is `values[0]` while `step <= boundaries[0]`, `values[1]` while
    `boundaries[0] < step <= boundaries[1]`, ..., and `values[-1]` past `boundaries[-1]`.

    Args:
        boundaries: Strictly increasing step numbers.
        values: One more value than `boundaries`.
        name: Name of the schedule.

    Raises:
        ValueError: if `values` does not have exactly one more element than `boundaries`.

    Example:
        >>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.25])
        >>> [float(schedule(s)) for s in (10, 11, 25)]
        [1.0, 0.5, 0.25]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: boundaries and values do not match. Expected "
                "len(values) == len(boundaries) + 1. Received: "
                f"boundaries={list(boundaries)!r} (length {len(boundaries)}), "
                f"values={list(values)!r} (length {len(values)}). Give one value per interval."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        values = jnp.asarray(self.values, dtype=floatx())
        step = jnp.asarray(step)
        boundaries = jnp.asarray(self.boundaries).astype(step.dtype)
        # Index of the first boundary >= step: the interval (b[i-1], b[i]] holds values[i].
        index = jnp.sum(step > boundaries)
        return values[index]

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
