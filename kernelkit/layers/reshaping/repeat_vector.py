"""`RepeatVector`: repeats a vector `n` times along a new time axis."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["RepeatVector"]


@register_builtin("keras.layers")
class RepeatVector(Layer):
    """Repeats each sample's feature vector `n` times: `(batch, f)` becomes `(batch, n, f)`.

    Args:
        n: Number of repetitions (a positive integer).

    Input shape:
        `(batch, features)`.

    Output shape:
        `(batch, n, features)`.

    Example:
        >>> import jax.numpy as jnp
        >>> RepeatVector(3)(jnp.ones((2, 5))).shape
        (2, 3, 5)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(
                f"RepeatVector '{self.name}': `n` must be an integer. Received: n={n!r} of "
                f"type {type(n).__name__}."
            )
        if n <= 0:
            raise ValueError(
                f"RepeatVector '{self.name}': `n` must be a positive integer. Received: n={n}."
            )
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return jnp.repeat(inputs[:, None, :], self.n, axis=1)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
