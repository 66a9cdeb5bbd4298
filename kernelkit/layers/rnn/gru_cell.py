"""`GRUCell`: one step of a gated recurrent unit layer (gates in Keras order z, r, h)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import activations
from kernelkit.layers.rnn.rnn_cell import RNNCell, dropped_matmul
from kernelkit.registry import register_builtin

__all__ = ["GRUCell"]


@register_builtin("keras.layers")
class GRUCell(RNNCell):
    """Cell of `GRU` (Cho et al., 2014).

    `kernel` is `(input_dim, 3 * units)` and `recurrent_kernel` `(units, 3 * units)`, gate
    blocks in Keras's order: update (z), reset (r), candidate (h). With `reset_after=True`
    (the default, cuDNN-compatible) the reset gate applies after the recurrent matmul and
    `bias` is `(2, 3 * units)`: input bias, then recurrent bias; otherwise `(3 * units,)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop.
        recurrent_dropout: Fraction of the recurrent units to drop.
        reset_after: Whether the reset gate applies after the recurrent matmul.
        seed: Seed of the dropout masks.

    Input shape:
        `inputs` `(batch, features)` and `states`, a list with one `(batch, units)` array.

    Output shape:
        `(output, new_states)`: `(batch, units)` and a list with one `(batch, units)` array.

    Example:
        >>> import jax.numpy as jnp
        >>> cell = GRUCell(4)
        >>> out, states = cell(jnp.ones((2, 3)), cell.get_initial_state(2))
        >>> out.shape, cell.bias.shape
        ((2, 4), (2, 12))
    """

    gate_count = 3
    state_count = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        super().__init__(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after

    def bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def step_config(self) -> tuple:
        return (self.activation, self.recurrent_activation, self.reset_after)

    @staticmethod
    def step_function(config, weights, inputs, states, input_mask, recurrent_mask):
        activation, recurrent_activation, reset_after = config
        kernel, recurrent_kernel, bias = weights
        h_prev = states[0]
        input_bias = recurrent_bias = None
        if bias is not None:
            input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, None)
        x = dropped_matmul(inputs, input_mask, kernel)
        if input_bias is not None:
            x = x + input_bias
        x_z, x_r, x_h = jnp.split(x, 3, axis=-1)
        if reset_after:
            inner = dropped_matmul(h_prev, recurrent_mask, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            r_z, r_r, r_h = jnp.split(inner, 3, axis=-1)
            z = recurrent_activation(x_z + r_z)
            r = recurrent_activation(x_r + r_r)
            candidate = activation(x_h + r * r_h)
        else:
            k_z, k_r, k_h = jnp.split(recurrent_kernel, 3, axis=-1)
            h_z, h_r, h_h = (_gate_input(h_prev, recurrent_mask, g) for g in range(3))
            z = recurrent_activation(x_z + jnp.matmul(h_z, k_z))
            r = recurrent_activation(x_r + jnp.matmul(h_r, k_r))
            candidate = activation(x_h + jnp.matmul(r * h_h, k_h))
        h = z * h_prev + (1 - z) * candidate
        return h, [h]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


def _gate_input(h, mask, gate):
    """`h` dropped by the mask of gate block `gate` (or by the one shared mask)."""
    if mask is None:
        return h
    return h * mask[gate if mask.shape[0] > 1 else 0]
