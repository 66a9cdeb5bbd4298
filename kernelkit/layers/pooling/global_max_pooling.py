"""`GlobalMaxPooling1D`, `GlobalMaxPooling2D`, `GlobalMaxPooling3D`: the maximum over space."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.pooling.base_global_pooling import BaseGlobalPooling
from kernelkit.registry import register_builtin

__all__ = ["GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D"]


class _GlobalMaxPooling(BaseGlobalPooling):
    def call(self, inputs):
        return jnp.max(inputs, axis=self._spatial_axes, keepdims=self.keepdims)


@register_builtin("keras.layers")
class GlobalMaxPooling1D(_GlobalMaxPooling):
    """The maximum over the time axis.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the time axis, with length 1.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, channels)` or `(batch, channels, 1)`.

    Example:
        >>> import jax.numpy as jnp
        >>> GlobalMaxPooling1D()(jnp.ones((2, 5, 3))).shape
        (2, 3)
    """

    rank = 1


@register_builtin("keras.layers")
class GlobalMaxPooling2D(_GlobalMaxPooling):
    """The maximum over the height and width axes.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the spatial axes, with length 1.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, 1, channels)` or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> GlobalMaxPooling2D()(jnp.ones((2, 4, 4, 3))).shape
        (2, 3)
    """

    rank = 2


@register_builtin("keras.layers")
class GlobalMaxPooling3D(_GlobalMaxPooling):
    """The maximum over the depth, height and width axes.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the spatial axes, with length 1.

    Input shape:
        `(batch, depth, height, width, channels)`, or channels first.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, 1, 1, channels)` or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> GlobalMaxPooling3D()(jnp.ones((2, 3, 3, 3, 4))).shape
        (2, 4)
    """

    rank = 3
