"""`SpatialDropout3D`: dropout of whole 3D feature maps (channels of volumes)."""

from __future__ import annotations

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.regularization.spatial_dropout import _SpatialDropout
from kernelkit.layers.spatial_arguments import owner_of, to_data_format
from kernelkit.registry import register_builtin

__all__ = ["SpatialDropout3D"]


@register_builtin("keras.layers")
class SpatialDropout3D(_SpatialDropout):
    """Drops whole 3D feature maps: each channel of a sample is kept or zeroed everywhere.

    Args:
        rate: Fraction of the channels to drop, in `[0, 1]`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.
        name: Optional name of the layer.
        dtype: Optional dtype policy of the layer.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)` (`(batch, channels, dim1, dim2, dim3)` channels
        first).

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> SpatialDropout3D(0.5)(jnp.ones((2, 3, 3, 3, 4)), training=False).shape
        (2, 3, 3, 3, 4)
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None, **kwargs):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, **kwargs)
        self.data_format = to_data_format(owner_of(self), data_format)
        self.input_spec = InputSpec(ndim=5)

    def _channel_noise_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1, 1)
        return (shape[0], 1, 1, 1, shape[4])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
