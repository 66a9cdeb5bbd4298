"""`SpatialDropout1D` and `SpatialDropout2D`: dropout of whole feature maps (channels)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config as kk_config
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.regularization.dropout import Dropout, drop
from kernelkit.registry import register_builtin, serialize

__all__ = ["SpatialDropout1D", "SpatialDropout2D"]


class _SpatialDropout(Dropout):
    """Dropout with one keep/drop draw per (sample, channel)."""

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        # positional `None` for noise_shape: passing noise_shape= is a TypeError, as in Keras
        super().__init__(rate, None, seed, name=name, dtype=dtype, **kwargs)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return jnp.zeros_like(inputs)
        return drop(inputs, self.rate, self._channel_noise_shape(inputs.shape),
                    self.seed_stream())

    def _channel_noise_shape(self, shape):
        raise NotImplementedError

    def get_config(self):  # Keras 3 writes only these keys for spatial dropout
        return {"rate": self.rate, "seed": self.seed, "name": self.name,
                "dtype": serialize(self.dtype_policy)}


@register_builtin("keras.layers")
class SpatialDropout1D(_SpatialDropout):
    """Drops whole 1D feature maps: each channel of a sample is kept or zeroed at every step.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, timesteps, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> SpatialDropout1D(0.5)(jnp.ones((2, 5, 3)), training=False).shape
        (2, 5, 3)
    """

    def __init__(self, rate, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _channel_noise_shape(self, shape):
        return (shape[0], 1, shape[2])


@register_builtin("keras.layers")
class SpatialDropout2D(_SpatialDropout):
    """Drops whole 2D feature maps: each channel of a sample is kept or zeroed everywhere.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, rows, cols, channels)` (`(batch, channels, rows, cols)` channels first).

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> SpatialDropout2D(0.5)(jnp.ones((2, 4, 4, 3)), training=False).shape
        (2, 4, 4, 3)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        data_format = kk_config.image_data_format() if data_format is None else data_format
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"SpatialDropout2D '{self.name}': invalid `data_format`. Expected "
                f"'channels_last' or 'channels_first'. Received: data_format={data_format!r}."
            )
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=4)

    def _channel_noise_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
