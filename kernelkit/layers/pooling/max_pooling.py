"""`MaxPooling1D`, `MaxPooling2D`, `MaxPooling3D`: the maximum over sliding windows."""

from __future__ import annotations

from kernelkit.layers.pooling.base_pooling import BasePooling
from kernelkit.registry import register_builtin

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D"]


@register_builtin("keras.layers")
class MaxPooling1D(BasePooling):
    """Max pooling over time.

    Args:
        pool_size: Window length (default 2).
        strides: Window stride; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, pooled_steps, channels)`, or `(batch, channels, pooled_steps)`.

    Example:
        >>> import jax.numpy as jnp
        >>> MaxPooling1D(2)(jnp.ones((2, 7, 3))).shape
        (2, 3, 3)
    """

    rank, pool_mode = 1, "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


@register_builtin("keras.layers")
class MaxPooling2D(BasePooling):
    """Max pooling over images.

    Args:
        pool_size: An int or 2 ints, the window size (default `(2, 2)`).
        strides: An int or 2 ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, pooled_height, pooled_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> MaxPooling2D(strides=1, padding="same")(jnp.ones((2, 5, 5, 3))).shape
        (2, 5, 5, 3)
    """

    rank, pool_mode = 2, "max"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


@register_builtin("keras.layers")
class MaxPooling3D(BasePooling):
    """Max pooling over volumes.

    Args:
        pool_size: An int or 3 ints, the window size (default `(2, 2, 2)`).
        strides: An int or 3 ints; `None` means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, depth, height, width, channels)`, or channels first.

    Output shape:
        `(batch, pooled_depth, pooled_height, pooled_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> MaxPooling3D()(jnp.ones((1, 4, 4, 4, 2))).shape
        (1, 2, 2, 2, 2)
    """

    rank, pool_mode = 3, "max"

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)
