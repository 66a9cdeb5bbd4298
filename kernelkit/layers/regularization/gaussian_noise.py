"""`GaussianNoise`: adds zero-mean Gaussian noise to the inputs in training."""

from __future__ import annotations

import jax

from kernelkit.layers.layer import Layer
from kernelkit.layers.regularization.dropout import check_rate
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.registry import register_builtin

__all__ = ["GaussianNoise"]


@register_builtin("keras.layers")
class GaussianNoise(Layer):
    """Adds noise drawn from `N(0, stddev**2)` in training; the identity at inference.

    Args:
        stddev: Standard deviation of the noise, in `[0, 1]`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> bool((GaussianNoise(0.1)(jnp.ones((2, 3))) == 1).all())
        True
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = check_rate(stddev, f"GaussianNoise '{self.name}'", "stddev")
        self.seed = seed
        if self.stddev > 0:
            self.seed_stream = seed_stream(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        noise = jax.random.normal(self.seed_stream(), inputs.shape, self.compute_dtype)
        return inputs + self.stddev * noise

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
