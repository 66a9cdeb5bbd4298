"""`AlphaDropout`: dropout that keeps the mean and variance of self-normalizing (SELU) inputs."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.regularization.dropout import Dropout
from kernelkit.registry import register_builtin

__all__ = ["AlphaDropout"]

# SELU's constants: dropped units are set to SELU's negative saturation value.
_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


@register_builtin("keras.layers")
class AlphaDropout(Dropout):
    """Sets a random fraction `rate` of the inputs to SELU's saturation value in training.

    An affine correction then restores the inputs' mean and variance, so the layer suits
    self-normalizing networks (`selu` activations, `lecun_normal` kernels). At inference it is
    the identity.

    Args:
        rate: Fraction of the inputs to drop, in `[0, 1]`.
        noise_shape: Optional shape of the keep/drop mask, broadcast against the input;
            `None` entries take the input's size.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = AlphaDropout(0.2, seed=0)
        >>> bool((layer(jnp.ones((2, 3))) == 1).all())
        True
        >>> layer(jnp.ones((2, 3)), training=True).shape
        (2, 3)
    """

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        keep = jax.random.uniform(self.seed_stream(), self._noise_shape(inputs)) >= self.rate
        keep = jnp.broadcast_to(keep, inputs.shape).astype(inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * keep + alpha_p * (1 - keep)) + b
