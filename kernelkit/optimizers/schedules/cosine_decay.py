"""`CosineDecay`: an optional linear warmup, then a cosine decay (SGDR without restarts)."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_positive_steps,
    to_float_array,
)
from kernelkit.registry import register_builtin

__all__ = ["CosineDecay"]


@register_builtin("keras.optimizers.schedules")
class CosineDecay(LearningRateSchedule):
    """A cosine decay, optionally after a linear warmup.

    Without `warmup_target`, the rate decays from `initial_learning_rate` to
    `initial_learning_rate * alpha` over `decay_steps`. With it, the rate first rises
    linearly from `initial_learning_rate` to `warmup_target` over `warmup_steps`, then
    decays from `warmup_target` to `warmup_target * alpha` over `decay_steps`.
    See Loshchilov & Hutter, ICLR 2016 (SGDR), and Goyal et al. 2017 for the warmup.

    Args:
        initial_learning_rate: The learning rate at step 0.
        decay_steps: Positive number of steps to decay over.
        alpha: Final learning rate as a fraction of the decay's starting rate.
        name: Name of the schedule.
        warmup_target: Learning rate reached at the end of the warmup, or `None` for none.
        warmup_steps: Number of warmup steps.

    Example:
        >>> schedule = CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5)
        >>> [round(float(schedule(s)), 6) for s in (0, 5, 15)]
        [0.0, 0.1, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        check_positive_steps("CosineDecay", "decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, decay_from, dtype):
        cosine = 0.5 * (1.0 + jnp.cos(jnp.asarray(math.pi, dtype) * (step / decay_steps)))
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        initial = to_float_array(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = jnp.asarray(self.decay_steps, dtype)
        step = jnp.asarray(step, dtype)
        if self.warmup_target is None:
            return self._decay(jnp.minimum(step, decay_steps), decay_steps, initial, dtype)
        target = jnp.asarray(self.warmup_target, dtype)
        warmup_steps = jnp.asarray(self.warmup_steps, dtype)
        step = jnp.minimum(step, decay_steps + warmup_steps)
        warmup = (target - initial) * (step / warmup_steps) + initial
        decayed = self._decay(step - warmup_steps, decay_steps, target, dtype)
        return jnp.where(step < warmup_steps, warmup, decayed)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
