"""`ActivityRegularization`: the identity that adds an L1/L2 penalty on its outputs."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin
from kernelkit.regularizers import L1L2

__all__ = ["ActivityRegularization"]


@register_builtin("keras.layers")
class ActivityRegularization(Layer):
    """Returns its input and adds `(l1 * sum|x| + l2 * sum x**2) / batch` to the losses.

    Args:
        l1: L1 factor (non-negative).
        l2: L2 factor (non-negative).

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = ActivityRegularization(l1=0.5)
        >>> _ = layer(jnp.ones((2, 3)))
        >>> float(layer.losses[0])
        1.5
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # always L1L2(l1, l2), as in Keras
        super().__init__(activity_regularizer=L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
