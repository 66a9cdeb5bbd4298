"""`Cropping3D`: entries removed from the borders of volumes (depth, height, width)."""

from __future__ import annotations

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.reshaping.cropping import _Cropping
from kernelkit.layers.reshaping.volume_pairs import to_volume_pairs
from kernelkit.layers.spatial_arguments import owner_of, to_data_format
from kernelkit.registry import register_builtin

__all__ = ["Cropping3D"]


@register_builtin("keras.layers")
class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: An int (the same on every side), 3 ints (symmetric per axis) or 3 pairs
            `((front, back), (top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, cropped_dim1, cropped_dim2, cropped_dim3, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> Cropping3D(((1, 0), (0, 2), 1))(jnp.ones((2, 4, 5, 6, 3))).shape
        (2, 3, 3, 4, 3)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.data_format = to_data_format(who, data_format)
        self.cropping = to_volume_pairs(who, cropping, "cropping")
        self.input_spec = InputSpec(ndim=5)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
