"""`UpSampling3D`: volumes enlarged by repeating entries along depth, height and width."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_tuple
from kernelkit.registry import register_builtin

__all__ = ["UpSampling3D"]


@register_builtin("keras.layers")
class UpSampling3D(Layer):
    """Repeats the entries of volumes `size[i]` times along each spatial axis.

    Args:
        size: An int or 3 ints, the factors of the three spatial axes.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, dim1 * size[0], dim2 * size[1], dim3 * size[2], channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> UpSampling3D((1, 2, 3))(jnp.ones((1, 2, 2, 2, 4))).shape
        (1, 2, 4, 6, 4)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.data_format = to_data_format(who, data_format)
        self.size = to_tuple(who, size, 3, "size")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        first = 1 if self.data_format == "channels_last" else 2
        for offset, factor in enumerate(self.size):
            inputs = jnp.repeat(inputs, factor, axis=first + offset)
        return inputs

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
