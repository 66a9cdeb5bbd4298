"""`Activation`: applies an activation function to its input."""

from __future__ import annotations

from kernelkit import activations
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["Activation"]


@register_builtin("keras.layers")
class Activation(Layer):
    """Applies an activation function to the input; passes masks through.

    Args:
        activation: Activation name (`"relu"`, `"softmax"`, ...) or callable.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> Activation("relu")(jnp.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        try:
            self.activation = activations.get(activation)
        except (ValueError, TypeError) as e:
            raise type(e)(f"Activation '{self.name}': {e}") from e
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
