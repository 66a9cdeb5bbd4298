"""`LeakyReLU`: `x` for positive inputs, `negative_slope * x` otherwise."""

from __future__ import annotations

import warnings

import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["LeakyReLU"]


@register_builtin("keras.layers")
class LeakyReLU(Layer):
    """Leaky rectified linear unit activation layer.

    Args:
        negative_slope: Non-negative slope for negative inputs (Keras 3 default `0.3`).
            The legacy keyword `alpha` is accepted with a warning.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> LeakyReLU(negative_slope=0.5)(jnp.array([-2.0, 3.0])).tolist()
        [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("LeakyReLU: argument `alpha` is deprecated. Use `negative_slope`.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                f"LeakyReLU '{self.name}': `negative_slope` cannot be negative or None. "
                f"Expected a non-negative float. Received: negative_slope={negative_slope!r}."
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return jnp.where(inputs >= 0, inputs, self.negative_slope * inputs)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
