"""`CosineDecayRestarts`: cosine decay with warm restarts (SGDR)."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_positive_steps,
    to_float_array,
)
from kernelkit.registry import register_builtin

__all__ = ["CosineDecayRestarts"]


@register_builtin("keras.optimizers.schedules")
class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay that restarts: each period is `t_mul` times longer, `m_mul` times lower.

    The multiplier decays from 1 to `alpha` over `first_decay_steps`, then restarts. See
    Loshchilov & Hutter, ICLR 2016, "SGDR: Stochastic Gradient Descent with Warm Restarts".

    Args:
        initial_learning_rate: The learning rate at step 0.
        first_decay_steps: Positive length of the first period.
        t_mul: Growth factor of the period length.
        m_mul: Factor applied to the starting rate at each restart.
        alpha: Minimum learning rate as a fraction of `initial_learning_rate`.
        name: Name of the schedule.

    Example:
        >>> schedule = CosineDecayRestarts(1.0, first_decay_steps=10)
        >>> [round(float(schedule(s)), 6) for s in (0, 10)]
        [1.0, 1.0]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        check_positive_steps("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial = to_float_array(self.initial_learning_rate)
        dtype = initial.dtype
        t_mul = jnp.asarray(self._t_mul, dtype)
        fraction = jnp.asarray(step, dtype) / jnp.asarray(self.first_decay_steps, dtype)
        if self._t_mul == 1.0:
            restart = jnp.floor(fraction)
            fraction = fraction - restart
        else:
            restart = jnp.floor(jnp.log(1.0 - fraction * (1.0 - t_mul)) / jnp.log(t_mul))
            done = (1.0 - jnp.power(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - done) / jnp.power(t_mul, restart)
        m_factor = jnp.power(jnp.asarray(self._m_mul, dtype), restart)
        cosine = 0.5 * m_factor * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * fraction))
        alpha = jnp.asarray(self.alpha, dtype)
        return initial * ((1 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
