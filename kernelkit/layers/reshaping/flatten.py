"""`Flatten`: reshapes each sample to one axis, keeping the batch axis."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit import config as kk_config
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["Flatten"]


@register_builtin("keras.layers")
class Flatten(Layer):
    """Flattens every axis but the batch axis: `(batch, ...)` becomes `(batch, prod(...))`.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`; channels-first inputs
            are moved to channels-last order before flattening, so weights transfer between
            the two layouts.

    Input shape:
        `(batch, ...)`, rank at least 1.

    Output shape:
        `(batch, prod(...))` (`(batch, 1)` for rank-1 inputs).

    Example:
        >>> import jax.numpy as jnp
        >>> Flatten()(jnp.ones((2, 3, 4))).shape
        (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        data_format = kk_config.image_data_format() if data_format is None else data_format
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"Flatten '{self.name}': invalid `data_format`. Expected 'channels_last' or "
                f"'channels_first'. Received: data_format={data_format!r}."
            )
        self.data_format = data_format
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 1:
            inputs = jnp.moveaxis(inputs, 1, -1)
        return jnp.reshape(inputs, (inputs.shape[0], -1 if inputs.ndim > 1 else 1))

    def compute_output_spec(self, inputs, *args, **kwargs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape)[1:]
        size = None if None in rest else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
