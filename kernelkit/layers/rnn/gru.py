"""`GRU`: the gated recurrent unit layer (Keras layout, `reset_after`, `jax.lax.scan` loop)."""

from __future__ import annotations

from kernelkit.layers.rnn.gru_cell import GRUCell
from kernelkit.layers.rnn.recurrent_layer import RecurrentLayer
from kernelkit.registry import register_builtin

__all__ = ["GRU"]


@register_builtin("keras.layers")
class GRU(RecurrentLayer):
    """Gated Recurrent Unit layer (Cho et al., 2014).

    Weights live in the cell `gru_cell`: `kernel` `(features, 3 * units)`,
    `recurrent_kernel` `(units, 3 * units)`, gates in the order update, reset, candidate, and
    `bias` `(2, 3 * units)` (input and recurrent biases) when `reset_after=True` (the default,
    cuDNN-compatible), else `(3 * units,)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        activity_regularizer: Optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop (same units at every step).
        recurrent_dropout: Fraction of the recurrent units to drop.
        seed: Seed of the dropout masks.
        return_sequences: Whether to return the whole sequence or the last output.
        return_state: Whether to also return the final state.
        go_backwards: Whether to process the sequence backwards (and return it reversed).
        stateful: Whether the final state of a batch is the initial state of the next.
        unroll: Whether to unroll the time loop.
        reset_after: Whether the reset gate applies after the recurrent matmul.
        use_cudnn: Accepted for Keras compatibility (`"auto"`, True or False).

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else `(batch, units)`; then the
        final state `(batch, units)` when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> GRU(4, return_sequences=True)(jnp.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    cell_class = GRUCell
    cell_name = "gru_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell_arguments = dict(
            units=units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            seed=seed)
        super().__init__(cell_arguments, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll, use_cudnn=use_cudnn,
                         activity_regularizer=activity_regularizer, **kwargs)
