"""`ScheduleFreeAdamW`: AdamW without a learning-rate schedule, by iterate averaging."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["ScheduleFreeAdamW"]


@register_builtin("keras.optimizers")
class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW (Defazio et al., 2024), as Keras 3 computes it.

    The weights hold the interpolation `y`; the optimizer keeps the base sequence `z`
    (the "momentum" slot, starting at the weights) and the second moment `v`:
    `z -= lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)`, the average
    `x = (1 - 1/t) * x + (1/t) * z` (with `x` recovered from `y`), then
    `y = (1 - beta_1) * z + beta_1 * x`. With `warmup_steps`, the learning rate ramps up
    linearly over the first steps.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_1: Interpolation factor between the base and the averaged sequence.
        beta_2: Decay rate of the second moment.
        epsilon: Small constant for numerical stability.
        warmup_steps: Number of steps of linear learning-rate warmup (0: none).
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> ScheduleFreeAdamW().get_config()["learning_rate"]
        0.0024999999441206455
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def _rule(self) -> UpdateRule:
        beta_1, beta_2, epsilon, warmup = self.beta_1, self.beta_2, self.epsilon, self.warmup_steps

        def update(g, p, lr, t, z, v):
            if warmup > 0:
                lr = lr * jnp.minimum(t / warmup, 1.0)
            v = v + (jnp.square(g) - v) * (1 - beta_2)
            denominator = jnp.sqrt(v / (1 - beta_2 ** t)) + epsilon
            z_old, z = z, z - lr * g / denominator
            weight = 1.0 / t
            x = (p - (1 - beta_1) * z_old) / beta_1
            x = (1 - weight) * x + weight * z
            y = (1 - beta_1) * z + beta_1 * x
            return y - p, (z, v)

        return leafwise_rule((jnp.array, slot_init.zeros_like),
                             update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
