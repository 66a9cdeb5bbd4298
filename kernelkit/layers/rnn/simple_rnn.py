"""`SimpleRNN`: a fully connected recurrent layer whose output is fed back as its state."""

from __future__ import annotations

from kernelkit.layers.rnn.recurrent_layer import RecurrentLayer
from kernelkit.layers.rnn.simple_rnn_cell import SimpleRNNCell
from kernelkit.registry import register_builtin

__all__ = ["SimpleRNN"]


@register_builtin("keras.layers")
class SimpleRNN(RecurrentLayer):
    """Fully connected RNN: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + b)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation function (default `"tanh"`; `None` is linear).
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

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else `(batch, units)`; then the
        final state `(batch, units)` when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> SimpleRNN(4)(jnp.ones((2, 5, 3))).shape
        (2, 4)
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell_arguments = dict(
            units=units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed)
        super().__init__(cell_arguments, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
