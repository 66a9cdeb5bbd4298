"""`AdaptiveMaxPooling1D/2D/3D`: max pooling into a fixed number of bins."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.pooling.base_adaptive_pooling import AdaptivePooling
from kernelkit.registry import register_builtin

__all__ = ["AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D"]


def _reduce(x, axis):
    return jnp.max(x, axis=axis, keepdims=True)


@register_builtin("keras.layers")
class AdaptiveMaxPooling1D(AdaptivePooling):
    """Max pooling of 1D data into `output_size` bins per spatial axis.

    Bin `i` of an axis of length `n` covers `[floor(i * n / size), ceil((i + 1) * n / size))`,
    so bins may overlap when `n` is not a multiple of `size` (as in Keras and PyTorch).

    Args:
        output_size: An int (or a tuple of 1 int), the output length.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)`.

    Output shape:
        `(batch, *output_size, channels)`, or `(batch, channels, *output_size)`.

    Example:
        >>> import jax.numpy as jnp
        >>> AdaptiveMaxPooling1D(4)(jnp.ones((2, 10, 3))).shape
        (2, 4, 3)
    """

    rank = 1
    reduce = staticmethod(_reduce)


@register_builtin("keras.layers")
class AdaptiveMaxPooling2D(AdaptivePooling):
    """Max pooling of 2D data into `output_size` bins per spatial axis.

    Bin `i` of an axis of length `n` covers `[floor(i * n / size), ceil((i + 1) * n / size))`,
    so bins may overlap when `n` is not a multiple of `size` (as in Keras and PyTorch).

    Args:
        output_size: An int or 2 ints, the number of bins of each spatial axis.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, rows, cols, channels)`, or `(batch, channels, rows, cols)`.

    Output shape:
        `(batch, *output_size, channels)`, or `(batch, channels, *output_size)`.

    Example:
        >>> import jax.numpy as jnp
        >>> AdaptiveMaxPooling2D((4, 3))(jnp.ones((2, 8, 9, 3))).shape
        (2, 4, 3, 3)
    """

    rank = 2
    reduce = staticmethod(_reduce)


@register_builtin("keras.layers")
class AdaptiveMaxPooling3D(AdaptivePooling):
    """Max pooling of 3D data into `output_size` bins per spatial axis.

    Bin `i` of an axis of length `n` covers `[floor(i * n / size), ceil((i + 1) * n / size))`,
    so bins may overlap when `n` is not a multiple of `size` (as in Keras and PyTorch).

    Args:
        output_size: An int or 3 ints, the number of bins of each spatial axis.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, dim1, dim2, dim3, channels)`, or `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, *output_size, channels)`, or `(batch, channels, *output_size)`.

    Example:
        >>> import jax.numpy as jnp
        >>> AdaptiveMaxPooling3D((2, 2, 3))(jnp.ones((1, 4, 5, 6, 2))).shape
        (1, 2, 2, 3, 2)
    """

    rank = 3
    reduce = staticmethod(_reduce)
