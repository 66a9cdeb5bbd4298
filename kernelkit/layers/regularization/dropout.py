"""`Dropout`: zeroes a random fraction of the inputs in training and rescales the rest."""

from __future__ import annotations

import numbers

import jax
import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.registry import register_builtin
from kernelkit.shapes import to_dims

__all__ = ["Dropout"]


@register_builtin("keras.layers")
class Dropout(Layer):
    """Sets inputs to 0 with probability `rate` in training, scaling the rest by `1/(1-rate)`.

    At inference (`training` falsy) the layer is the identity.

    Args:
        rate: Fraction of the inputs to drop, in `[0, 1]`.
        noise_shape: Optional shape of the keep/drop mask, broadcast against the input;
            `None` entries take the input's size (e.g. `(None, 1, None)` drops the same
            features at every timestep).
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = Dropout(0.5, seed=0)
        >>> bool((layer(jnp.ones((2, 3))) == 1).all())
        True
        >>> sorted(set(layer(jnp.ones((4, 8)), training=True).ravel().tolist())) <= [0.0, 2.0]
        True
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate, f"{type(self).__name__} '{self.name}'")
        self.seed = seed
        self.noise_shape = self._check_noise_shape(noise_shape)
        if self.rate > 0:
            self.seed_stream = seed_stream(seed)
        self.supports_masking = True
        self.built = True

    def _check_noise_shape(self, noise_shape):
        if noise_shape is None:
            return None
        dims = to_dims(noise_shape)
        if dims is None or isinstance(noise_shape, int):
            raise ValueError(
                f"Dropout '{self.name}': invalid `noise_shape`. Expected a tuple of positive "
                f"integers or None. Received: noise_shape={noise_shape!r}."
            )
        return dims

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return jnp.zeros_like(inputs)
        return drop(inputs, self.rate, self._noise_shape(inputs), self.seed_stream())

    def _noise_shape(self, inputs):
        if self.noise_shape is None:
            return inputs.shape
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f"Dropout '{self.name}': `noise_shape` must have one entry per input axis. "
                f"Expected {inputs.ndim} entries. Received: noise_shape={self.noise_shape} "
                f"for inputs of shape {tuple(inputs.shape)}."
            )
        return tuple(n if d is None else d for d, n in zip(self.noise_shape, inputs.shape))

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": self.noise_shape}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("noise_shape"), list):  # JSON turns tuples into lists
            config["noise_shape"] = tuple(config["noise_shape"])
        return super().from_config(config)


def check_rate(rate, who: str, arg: str = "rate"):
    """Returns `rate` if it is a number in `[0, 1]`; raises `ValueError` naming `who` if not."""
    if not isinstance(rate, numbers.Real) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError(
            f"{who}: invalid `{arg}`. Expected a float between 0 and 1. "
            f"Received: {arg}={rate!r}."
        )
    return rate


def drop(inputs, rate, noise_shape, key):
    """Keeps each entry of a `noise_shape` mask with probability `1 - rate`, scaled up."""
    keep_prob = 1.0 - rate
    keep = jnp.broadcast_to(jax.random.bernoulli(key, keep_prob, noise_shape), inputs.shape)
    return jnp.where(keep, inputs / jnp.asarray(keep_prob, inputs.dtype),
                     jnp.zeros((), inputs.dtype))
