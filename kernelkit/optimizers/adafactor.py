"""`Adafactor`: Adam-like steps with factored second moments (row and column statistics)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.optimizers import slot_init
from kernelkit.optimizers.optimizer import Optimizer
from kernelkit.optimizers.update_rule import UpdateRule, leafwise_rule
from kernelkit.registry import register_builtin

__all__ = ["Adafactor"]


def _rms(x):
    return jnp.sqrt(jnp.mean(jnp.square(x)))


def _rows(p):
    return slot_init.zeros(p.shape[:-1] if p.ndim >= 2 else (), p.dtype, like=p)


def _columns(p):
    return slot_init.zeros(p.shape[:-2] + p.shape[-1:] if p.ndim >= 2 else (), p.dtype, like=p)


@register_builtin("keras.optimizers")
class Adafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018), as Keras 3 computes it.

    Weights of rank >= 2 keep a row and a column statistic of the squared gradient instead of
    a full second moment; the step is scaled by `max(epsilon_2, rms(w))` and clipped by RMS.

    Args:
        learning_rate: A float, a `LearningRateSchedule` or a function of the step.
        beta_2_decay: Decay of the second moment: `beta_2 = 1 - t ** beta_2_decay`.
        epsilon_1: Added to the squared gradient.
        epsilon_2: Lower bound of the weight RMS that scales the step.
        clip_threshold: RMS threshold of the normalized update.
        relative_step: Whether the rate is capped by `1 / sqrt(t)` (always true in Keras's
            rule, which caps it once more unconditionally).
        **kwargs: The common arguments of `Optimizer` (`weight_decay`, `clipnorm`, ...).

    Example:
        >>> Adafactor().get_config()["beta_2_decay"]
        -0.8
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def _rule(self) -> UpdateRule:
        decay, eps_1, eps_2 = self.beta_2_decay, self.epsilon_1, self.epsilon_2
        clip_threshold = self.clip_threshold

        def update(g, p, lr, t, r, c, v):
            rho_t = jnp.minimum(lr, 1 / jnp.sqrt(t))
            alpha_t = jnp.maximum(eps_2, _rms(p)) * rho_t
            squared = jnp.square(g) + eps_1
            beta_2_t = 1 - jnp.power(t, decay)
            if p.ndim >= 2:
                r = beta_2_t * r + (1 - beta_2_t) * jnp.mean(squared, axis=-1)
                c = beta_2_t * c + (1 - beta_2_t) * jnp.mean(squared, axis=-2)
                v = (r / jnp.mean(r, axis=-1, keepdims=True))[..., None] * c[..., None, :]
            else:
                v = beta_2_t * v + (1 - beta_2_t) * squared
            u = g / jnp.sqrt(v)
            u_hat = u / jnp.maximum(1.0, _rms(u) / clip_threshold)
            return -alpha_t * u_hat, (r, c, v)

        return leafwise_rule((_rows, _columns, slot_init.zeros_like), update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold, "relative_step": self.relative_step}
