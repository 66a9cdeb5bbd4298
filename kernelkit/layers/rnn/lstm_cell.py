"""`LSTMCell`: one step of a long short-term memory layer (gates in Keras order i, f, c, o)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import activations, initializers
from kernelkit.layers.rnn.rnn_cell import RNNCell, dropped_matmul
from kernelkit.registry import register_builtin

__all__ = ["LSTMCell"]


@register_builtin("keras.layers")
class LSTMCell(RNNCell):
    """Cell of `LSTM` (Hochreiter and Schmidhuber, 1997); states are `[h, c]`.

    `kernel` is `(input_dim, 4 * units)` and `recurrent_kernel` `(units, 4 * units)`, with the
    gate blocks in Keras's order: input, forget, candidate, output.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate and of the cell state (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        unit_forget_bias: If True, the forget-gate bias starts at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop.
        recurrent_dropout: Fraction of the recurrent units to drop.
        seed: Seed of the dropout masks.

    Input shape:
        `inputs` `(batch, features)` and `states` `[h, c]`, each `(batch, units)`.

    Output shape:
        `(h, [h, c])`, each `(batch, units)`.

    Example:
        >>> import jax.numpy as jnp
        >>> cell = LSTMCell(4)
        >>> h, (h2, c) = cell(jnp.ones((2, 3)), cell.get_initial_state(2))
        >>> h.shape, c.shape
        ((2, 4), (2, 4))
    """

    gate_count = 4
    state_count = 2

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    def bias_initializer_for_build(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base, ones = self.units, self.bias_initializer, initializers.get("ones")

        def forget_gate_ones(shape, dtype=None):
            return jnp.concatenate([base((units,), dtype=dtype), ones((units,), dtype=dtype),
                                    base((2 * units,), dtype=dtype)])

        return forget_gate_ones

    def step_config(self) -> tuple:
        return (self.activation, self.recurrent_activation)

    @staticmethod
    def step_function(config, weights, inputs, states, input_mask, recurrent_mask):
        activation, recurrent_activation = config
        kernel, recurrent_kernel, bias = weights
        h_prev, c_prev = states
        z = (dropped_matmul(inputs, input_mask, kernel)
             + dropped_matmul(h_prev, recurrent_mask, recurrent_kernel))
        if bias is not None:
            z = z + bias
        z_i, z_f, z_c, z_o = jnp.split(z, 4, axis=-1)
        i = recurrent_activation(z_i)
        f = recurrent_activation(z_f)
        c = f * c_prev + i * activation(z_c)
        h = recurrent_activation(z_o) * activation(c)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
