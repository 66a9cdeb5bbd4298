"""`GlobalAveragePooling1D` (mask-aware), `GlobalAveragePooling2D`, `GlobalAveragePooling3D`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.pooling.base_global_pooling import BaseGlobalPooling
from kernelkit.registry import register_builtin

__all__ = ["GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"]


@register_builtin("keras.layers")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean over the time axis; masked steps are left out of the mean.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the time axis, with length 1.

    Call arguments:
        inputs: A 3D array.
        mask: Optional `(batch, steps)` boolean array; `False` marks padding steps.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, channels)` or `(batch, channels, 1)`.

    Example:
        >>> import jax.numpy as jnp
        >>> x = jnp.array([[[1.0], [3.0], [8.0]]])
        >>> GlobalAveragePooling1D()(x, mask=jnp.array([[True, True, False]])).tolist()
        [[2.0]]
    """

    rank = 1

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        axis = self._spatial_axes
        if mask is None:
            return jnp.mean(inputs, axis=axis, keepdims=self.keepdims)
        weights = jnp.expand_dims(mask.astype(bool), -1 if self.data_format == "channels_last"
                                  else 1)
        total = jnp.sum(jnp.where(weights, inputs, 0), axis=axis, keepdims=self.keepdims)
        return total / jnp.sum(weights.astype(inputs.dtype), axis=axis, keepdims=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None


class _GlobalAveragePooling(BaseGlobalPooling):
    def call(self, inputs):
        return jnp.mean(inputs, axis=self._spatial_axes, keepdims=self.keepdims)


@register_builtin("keras.layers")
class GlobalAveragePooling2D(_GlobalAveragePooling):
    """The mean over the height and width axes.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the spatial axes, with length 1.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, 1, channels)` or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> GlobalAveragePooling2D()(jnp.ones((2, 4, 4, 3))).shape
        (2, 3)
    """

    rank = 2


@register_builtin("keras.layers")
class GlobalAveragePooling3D(_GlobalAveragePooling):
    """The mean over the depth, height and width axes.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the spatial axes, with length 1.

    Input shape:
        `(batch, depth, height, width, channels)`, or channels first.

    Output shape:
        `(batch, channels)`; with `keepdims`, `(batch, 1, 1, 1, channels)` or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> GlobalAveragePooling3D()(jnp.ones((2, 3, 3, 3, 4))).shape
        (2, 4)
    """

    rank = 3
