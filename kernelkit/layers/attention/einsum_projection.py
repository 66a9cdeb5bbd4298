"""`EinsumProjection`: the einsum projections (query, key, value, output) inside attention."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.layer import Layer

__all__ = ["EinsumProjection"]


class EinsumProjection(Layer):
    """`einsum(equation, inputs, kernel) + bias`, with Keras `EinsumDense`'s weight layout.

    Used by `MultiHeadAttention` for its sublayers `query`, `key`, `value` and
    `attention_output`; the kernel and bias shapes are fixed by the owner.

    Args:
        equation: Einsum equation `"<input>,<kernel>-><output>"`.
        kernel_shape: Shape of the `kernel` weight.
        bias_shape: Shape of the `bias` weight, or `None` for no bias.
        activation: Optional callable applied to the output.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        kernel_constraint, bias_constraint: As in `Dense`.

    Example:
        >>> import jax.numpy as jnp
        >>> proj = EinsumProjection("abc,cde->abde", (3, 2, 4), (2, 4), name="query")
        >>> proj(jnp.ones((1, 5, 3))).shape
        (1, 5, 2, 4)
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, equation, kernel_shape, bias_shape=None, activation=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.equation = equation
        self.kernel_shape = tuple(kernel_shape)
        self.bias_shape = None if bias_shape is None else tuple(bias_shape)
        self.activation = activation
        self._init = (kernel_initializer, bias_initializer)
        self._reg = (kernel_regularizer, bias_regularizer)
        self._con = (kernel_constraint, bias_constraint)

    def build(self, input_shape=None):
        self.kernel = self.add_weight(shape=self.kernel_shape, name="kernel",
                                      initializer=self._init[0], regularizer=self._reg[0],
                                      constraint=self._con[0])
        self.bias = None if self.bias_shape is None else self.add_weight(
            shape=self.bias_shape, name="bias", initializer=self._init[1],
            regularizer=self._reg[1], constraint=self._con[1])

    def call(self, inputs):
        x = jnp.einsum(self.equation, inputs, self.kernel[...].astype(self.compute_dtype))
        if self.bias is not None:
            x = x + self.bias[...].astype(x.dtype)
        return x if self.activation is None else self.activation(x)

    def get_config(self):
        raise NotImplementedError(
            f"EinsumProjection '{self.name}' is an internal sublayer of MultiHeadAttention "
            "and is serialized through its owner's config."
        )
