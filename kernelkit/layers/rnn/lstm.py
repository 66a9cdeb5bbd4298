"""`LSTM`: the long short-term memory recurrent layer (Keras layout, `jax.lax.scan` loop)."""

from __future__ import annotations

from kernelkit.layers.rnn.lstm_cell import LSTMCell
from kernelkit.layers.rnn.recurrent_layer import RecurrentLayer
from kernelkit.registry import register_builtin

__all__ = ["LSTM"]


@register_builtin("keras.layers")
class LSTM(RecurrentLayer):
    """Long Short-Term Memory layer (Hochreiter and Schmidhuber, 1997).

    Weights live in the cell `lstm_cell`: `kernel` `(features, 4 * units)`,
    `recurrent_kernel` `(units, 4 * units)` and `bias` `(4 * units,)`, gates in the order
    input, forget, candidate, output. States are `[h, c]`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate and cell state (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        unit_forget_bias: If True, the forget-gate bias starts at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        activity_regularizer: Optional regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop (same units at every step).
        recurrent_dropout: Fraction of the recurrent units to drop.
        seed: Seed of the dropout masks.
        return_sequences: Whether to return the whole sequence or the last output.
        return_state: Whether to also return the final states `h` and `c`.
        go_backwards: Whether to process the sequence backwards (and return it reversed).
        stateful: Whether the final states of a batch are the initial states of the next.
        unroll: Whether to unroll the time loop.
        use_cudnn: Accepted for Keras compatibility (`"auto"`, True or False); XLA compiles
            the loop on every device.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else `(batch, units)`; then the
        final `h` and `c`, each `(batch, units)`, when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> out, h, c = LSTM(4, return_sequences=True, return_state=True)(jnp.ones((2, 5, 3)))
        >>> out.shape, h.shape, c.shape
        ((2, 5, 4), (2, 4), (2, 4))
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell_arguments = dict(
            units=units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed)
        super().__init__(cell_arguments, return_sequences=return_sequences,
                         return_state=return_state, go_backwards=go_backwards,
                         stateful=stateful, unroll=unroll, use_cudnn=use_cudnn,
                         activity_regularizer=activity_regularizer, **kwargs)
