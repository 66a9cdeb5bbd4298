"""`SimpleRNNCell`: one step of a fully connected recurrent layer, `act(x W + h U + b)`."""

from __future__ import annotations

from kernelkit.layers.rnn.rnn_cell import RNNCell, dropped_matmul
from kernelkit.registry import register_builtin

__all__ = ["SimpleRNNCell"]


@register_builtin("keras.layers")
class SimpleRNNCell(RNNCell):
    """Cell of `SimpleRNN`: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation function (default `"tanh"`; `None` is linear).
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop.
        recurrent_dropout: Fraction of the recurrent units to drop.
        seed: Seed of the dropout masks.

    Input shape:
        `inputs` `(batch, features)` and `states`, a list with one `(batch, units)` array.

    Output shape:
        `(output, new_states)`: `(batch, units)` and a list with one `(batch, units)` array.

    Example:
        >>> import jax.numpy as jnp
        >>> cell = SimpleRNNCell(4)
        >>> out, states = cell(jnp.ones((2, 3)), [jnp.zeros((2, 4))])
        >>> out.shape
        (2, 4)
    """

    gate_count = 1
    state_count = 1

    @staticmethod
    def step_function(config, weights, inputs, states, input_mask, recurrent_mask):
        (activation,) = config
        kernel, recurrent_kernel, bias = weights
        h = dropped_matmul(inputs, input_mask, kernel)
        if bias is not None:
            h = h + bias
        output = activation(h + dropped_matmul(states[0], recurrent_mask, recurrent_kernel))
        return output, [output]
