"""`ZeroPadding1D`, `ZeroPadding2D`: zeros added around sequences and images."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_pairs, to_tuple
from kernelkit.registry import register_builtin

__all__ = ["ZeroPadding1D", "ZeroPadding2D"]


def _pad(inputs, spatial_pads, data_format):
    if data_format == "channels_last":
        pads = ((0, 0), *spatial_pads, (0, 0))
    else:
        pads = ((0, 0), (0, 0), *spatial_pads)
    return jnp.pad(inputs, pads)


@register_builtin("keras.layers")
class ZeroPadding1D(Layer):
    """Pads the time axis with zeros.

    Args:
        padding: An int (the same at both ends) or 2 ints `(left, right)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, left + steps + right, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> ZeroPadding1D((1, 2))(jnp.ones((2, 3, 4))).shape
        (2, 6, 4)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.padding = to_tuple(who, padding, 2, "padding", allow_zero=True)
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return _pad(inputs, (self.padding,), self.data_format)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


@register_builtin("keras.layers")
class ZeroPadding2D(Layer):
    """Pads the height and width of images with zeros.

    Args:
        padding: An int (the same on every side), 2 ints `(symmetric_height,
            symmetric_width)` or 2 pairs `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, padded_height, padded_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> ZeroPadding2D(((1, 0), (2, 2)))(jnp.ones((2, 3, 3, 1))).shape
        (2, 4, 7, 1)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.padding = to_pairs(who, padding, "padding")
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return _pad(inputs, self.padding, self.data_format)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}
