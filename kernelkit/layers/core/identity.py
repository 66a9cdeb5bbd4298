"""`Identity`: returns its input unchanged (a placeholder layer)."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["Identity"]


@register_builtin("keras.layers")
class Identity(Layer):
    """Returns its inputs (any structure of arrays) unchanged; passes masks through.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> Identity()(jnp.ones((2, 3))).shape
        (2, 3)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs
