"""`ZeroPadding3D`: zeros added around volumes (depth, height, width)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.reshaping.volume_pairs import to_volume_pairs
from kernelkit.layers.spatial_arguments import owner_of, to_data_format
from kernelkit.registry import register_builtin

__all__ = ["ZeroPadding3D"]


@register_builtin("keras.layers")
class ZeroPadding3D(Layer):
    """Pads the three spatial axes of volumes with zeros.

    Args:
        padding: An int (the same on every side), 3 ints (symmetric per axis) or 3 pairs
            `((front, back), (top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, padded_dim1, padded_dim2, padded_dim3, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> ZeroPadding3D((1, 0, 2))(jnp.ones((2, 3, 3, 3, 1))).shape
        (2, 5, 3, 7, 1)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.data_format = to_data_format(who, data_format)
        self.padding = to_volume_pairs(who, padding, "padding")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        if self.data_format == "channels_last":
            pads = ((0, 0), *self.padding, (0, 0))
        else:
            pads = ((0, 0), (0, 0), *self.padding)
        return jnp.pad(inputs, pads)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}
