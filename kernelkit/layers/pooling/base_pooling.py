"""`BasePooling`: sliding-window max and average pooling shared by the 1D/2D/3D layers."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_padding, to_tuple

__all__ = ["BasePooling"]


class BasePooling(Layer):
    """Base of `MaxPooling*D` and `AveragePooling*D`; subclasses set `rank` and `pool_mode`.

    Args:
        pool_size: An int or `rank` ints, the size of the pooling window.
        strides: An int or `rank` ints; `None` means `pool_size`.
        padding: `"valid"` (windows stay inside the input) or `"same"` (output size
            `ceil(input / stride)`; averages count only the real entries of each window).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import MaxPooling2D
        >>> MaxPooling2D()(jnp.ones((1, 4, 4, 3))).shape
        (1, 2, 2, 3)
    """

    rank = None
    pool_mode = None

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.pool_size = to_tuple(who, pool_size, self.rank, "pool_size")
        self.strides = to_tuple(who, pool_size if strides is None else strides, self.rank,
                                "strides")
        self.padding = to_padding(who, padding)
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _window(self, sizes) -> tuple:
        """`sizes` over the spatial axes, 1 over batch and channels."""
        if self.data_format == "channels_last":
            return (1, *sizes, 1)
        return (1, 1, *sizes)

    def _check_spatial_size(self, inputs) -> None:
        if self.padding != "valid":
            return
        shape = inputs.shape
        spatial = shape[1:-1] if self.data_format == "channels_last" else shape[2:]
        if any(n < p for n, p in zip(spatial, self.pool_size)):
            raise ValueError(
                f"{owner_of(self)}: the input is smaller than the pooling window. Expected every "
                f"spatial dimension to be at least pool_size={self.pool_size} with "
                f"padding='valid'. Received: inputs={describe(inputs)}. Pass larger inputs, "
                "a smaller pool_size, or use padding='same'."
            )

    def call(self, inputs):
        self._check_spatial_size(inputs)
        window, strides = self._window(self.pool_size), self._window(self.strides)
        padding = self.padding.upper()
        if self.pool_mode == "max":
            dtype = inputs.dtype
            # Python scalars: JAX recognises them as the monoid identity and picks the
            # differentiable max/sum window primitives (an array init value is not).
            lowest = -float("inf") if jnp.issubdtype(dtype, jnp.floating) else int(
                jnp.iinfo(dtype).min)
            return jax.lax.reduce_window(inputs, lowest, jax.lax.max, window, strides, padding)
        total = jax.lax.reduce_window(inputs, 0.0 if jnp.issubdtype(
            inputs.dtype, jnp.floating) else 0, jax.lax.add, window, strides, padding)
        if self.padding == "valid":
            return total / math.prod(self.pool_size)
        # windows that hang over the edge average only the entries inside the input
        ones = jnp.ones(tuple(n if w > 1 else 1 for n, w in zip(inputs.shape, window)),
                        inputs.dtype)
        counts = jax.lax.reduce_window(ones, 0.0, jax.lax.add, window, strides, padding)
        return total / counts

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
