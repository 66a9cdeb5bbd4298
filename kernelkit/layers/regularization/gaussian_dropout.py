"""`GaussianDropout`: multiplies the inputs by 1-centered Gaussian noise in training."""

from __future__ import annotations

import math

import jax

from kernelkit.layers.layer import Layer
from kernelkit.layers.regularization.dropout import check_rate
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.registry import register_builtin

__all__ = ["GaussianDropout"]


@register_builtin("keras.layers")
class GaussianDropout(Layer):
    """Multiplies inputs by noise from `N(1, rate / (1 - rate))` in training.

    At inference (`training` falsy) the layer is the identity.

    Args:
        rate: Drop probability, in `[0, 1]`; the noise's standard deviation is
            `sqrt(rate / (1 - rate))`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> GaussianDropout(0.2, seed=1)(jnp.ones((2, 3)), training=True).shape
        (2, 3)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate, f"GaussianDropout '{self.name}'")
        self.seed = seed
        if self.rate > 0:
            self.seed_stream = seed_stream(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = jax.random.normal(self.seed_stream(), inputs.shape, self.compute_dtype)
        return inputs * (1.0 + stddev * noise)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
