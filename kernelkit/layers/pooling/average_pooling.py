"""`AveragePooling1D`, `AveragePooling2D`, `AveragePooling3D`: the mean over sliding windows."""

from __future__ import annotations

from kernelkit.layers.pooling.base_pooling import BasePooling
from kernelkit.registry import register_builtin

__all__ = ["AveragePooling1D", "AveragePooling2D", "AveragePooling3D"]


@register_builtin("keras.layers")
class AveragePooling1D(BasePooling):
    """Average pooling over time.

    With `padding="same"`, a window that hangs over the edge averages only the entries inside
    the input (as Keras does), not the zero padding.

    Args:
        pool_size: Window length.
        strides: Window stride; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, pooled_steps, channels)`, or `(batch, channels, pooled_steps)`.

    Example:
        >>> import jax.numpy as jnp
        >>> AveragePooling1D(2, padding="same")(jnp.ones((2, 7, 3))).shape
        (2, 4, 3)
    """

    rank, pool_mode = 1, "average"


@register_builtin("keras.layers")
class AveragePooling2D(BasePooling):
    """Average pooling over images; see `AveragePooling1D` for the edge handling.

    Args:
        pool_size: An int or 2 ints, the window size.
        strides: An int or 2 ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, pooled_height, pooled_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> AveragePooling2D(2)(jnp.ones((2, 4, 4, 3))).shape
        (2, 2, 2, 3)
    """

    rank, pool_mode = 2, "average"


@register_builtin("keras.layers")
class AveragePooling3D(BasePooling):
    """Average pooling over volumes; see `AveragePooling1D` for the edge handling.

    Args:
        pool_size: An int or 3 ints, the window size.
        strides: An int or 3 ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, depth, height, width, channels)`, or channels first.

    Output shape:
        `(batch, pooled_depth, pooled_height, pooled_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> AveragePooling3D(2)(jnp.ones((1, 4, 4, 4, 2))).shape
        (1, 2, 2, 2, 2)
    """

    rank, pool_mode = 3, "average"
