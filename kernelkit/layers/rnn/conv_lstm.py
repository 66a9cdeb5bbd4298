"""`ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D`: LSTMs over sequences of feature maps."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.rnn.conv_lstm_cell import ConvLSTMCell
from kernelkit.layers.rnn.rnn import RNN, _cell_loop
from kernelkit.layers.variables import NonTrainableWeight
from kernelkit.registry import register_builtin, serialize
from kernelkit.shapes import check_rank

__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]

_CELL_OWN_KEYS = ("name", "trainable", "dtype")


class _ConvLSTM(RNN):
    """An `RNN` over a `ConvLSTMCell` named `conv_lstm_cell`, built from the cell's arguments.

    The config is flat (the cell's arguments next to the RNN's, no `cell` entry) and the
    cell's arguments read as attributes of the layer (`layer.filters`), as in Keras.
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def __getattr__(self, name):
        # the cell's arguments (filters, kernel_size, dropout, ...) read through the layer
        if name.startswith("_") or name in ("cell", "rank"):
            raise AttributeError(name)
        cell = self.__dict__.get("cell")
        if cell is not None and hasattr(cell, name):
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    @property
    def state_size(self) -> list:
        return [-1, -1]

    def build(self, sequences_shape, initial_state_shape=None):
        who = f"{type(self).__name__} '{self.name}'"
        sequences_shape = check_rank(who, sequences_shape, self.rank + 3,
                                     f"batch, time, {self.rank} spatial axes, channels")
        self._step_shape = sequences_shape[2:]
        self.cell._maybe_build((sequences_shape[0], *self._step_shape))
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    f"{who}: a stateful RNN needs a fixed batch size. Expected a known batch "
                    f"dimension. Received: input_shape={sequences_shape}. Pass "
                    "batch_size=... to Input() (or batch_input_shape to the first layer)."
                )
            shape = self.cell.state_shape(sequences_shape[0], self._step_shape)
            self.states = [NonTrainableWeight(jnp.zeros(shape, self.dtype), name="rnn_state",
                                              path=f"{self.name}/rnn_state")
                           for _ in range(2)]

    def get_initial_state(self, batch_size) -> list:
        """Zero `[h, c]` feature maps for `batch_size` sequences."""
        return self.cell.get_initial_state(batch_size, self._step_shape)

    def _checked_initial_state(self, initial_state, batch):
        states = list(initial_state) if isinstance(initial_state, list | tuple) else [
            initial_state]
        expected = [self.cell.state_shape(batch, self._step_shape)] * 2
        if [tuple(getattr(s, "shape", ())) for s in states] != expected:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `initial_state` does not match the "
                f"layer's states. Expected 2 arrays [h, c] of shape {expected[0]}. Received: "
                f"initial_state={describe(initial_state)}."
            )
        return states

    def _loop(self, sequences, states, mask, training):
        cell = self.cell
        # one draw per sequence: every time step drops the same entries (Keras)
        masks = cell.dropout_masks(sequences[:, 0], states[0], training)
        if mask is not None:  # (batch, time) -> broadcastable against a step's feature map
            mask = mask.reshape(mask.shape + (1,) * self.rank)
        loop_config = (self.go_backwards, False, self.zero_output_for_mask)
        return _cell_loop(type(cell).step_function, cell.step_config(), loop_config,
                          cell.weight_arrays(), sequences, states, mask, masks)

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = {k: v for k, v in self.cell.get_config().items()
                       if k not in _CELL_OWN_KEYS}
        return {**config, **cell_config,
                "activity_regularizer": serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config):
        return super(RNN, cls).from_config(config)


@register_builtin("keras.layers")
class ConvLSTM1D(_ConvLSTM):
    """1D convolutional LSTM: an LSTM whose products are 1D convolutions over steps.

    Args:
        filters: Number of output channels.
        kernel_size: An int or 1 int, the convolution window.
        strides: An int, the stride of the input convolution.
        padding: `"valid"` or `"same"`, the padding of the input convolution.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: An int, the dilation of the input convolution.
        dropout: Fraction of the input entries to drop (same entries at every step).
        recurrent_dropout: Fraction of the recurrent entries to drop.
        return_sequences: Whether to return the whole sequence or the last output.
        return_state: Whether to also return the final states `h` and `c`.
        go_backwards: Whether to process the sequence backwards (and return it reversed).
        stateful: Whether the final states of a batch are the initial states of the next.

    The other arguments (activations, initializers, regularizers, constraints,
    `unit_forget_bias`, `seed`) are those of `ConvLSTM2D`.

    Input shape:
        `(batch, time, steps, channels)`, or `(batch, time, channels, steps)`.

    Output shape:
        `(batch, time, new_steps, filters)` with `return_sequences`, else
        `(batch, new_steps, filters)`; then `h` and `c` when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> ConvLSTM1D(4, 3, padding="same")(jnp.ones((2, 5, 6, 3))).shape
        (2, 6, 4)
    """

    rank = 1


@register_builtin("keras.layers")
class ConvLSTM2D(_ConvLSTM):
    """2D convolutional LSTM (Shi et al., 2015): an LSTM whose products are 2D convolutions.

    Weights live in the cell `conv_lstm_cell`: `kernel` `kernel_size + (channels, 4 *
    filters)`, `recurrent_kernel` `kernel_size + (filters, 4 * filters)` and `bias`
    `(4 * filters,)`, gates in the order input, forget, candidate, output. The recurrent
    convolution has stride 1 and `"same"` padding.

    Args:
        filters: Number of output channels.
        kernel_size: An int or 2 ints, the convolution window.
        strides: An int or 2 ints, the strides of the input convolution.
        padding: `"valid"` or `"same"`, the padding of the input convolution.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: An int or 2 ints, the dilation of the input convolution.
        activation: Activation of the candidate and cell state (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the layer uses a bias vector.
        kernel_initializer: Initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: Initializer of `bias` (default `"zeros"`).
        unit_forget_bias: If True, the forget-gate bias starts at 1.
        kernel_regularizer: Optional regularizer of `kernel`.
        recurrent_regularizer: Optional regularizer of `recurrent_kernel`.
        bias_regularizer: Optional regularizer of `bias`.
        activity_regularizer: Optional regularizer of the output.
        kernel_constraint: Optional constraint of `kernel`.
        recurrent_constraint: Optional constraint of `recurrent_kernel`.
        bias_constraint: Optional constraint of `bias`.
        dropout: Fraction of the input entries to drop (same entries at every step).
        recurrent_dropout: Fraction of the recurrent entries to drop.
        seed: Seed of the dropout masks.
        return_sequences: Whether to return the whole sequence or the last output.
        return_state: Whether to also return the final states `h` and `c`.
        go_backwards: Whether to process the sequence backwards (and return it reversed).
        stateful: Whether the final states of a batch are the initial states of the next.

    Input shape:
        `(batch, time, rows, cols, channels)`, or `(batch, time, channels, rows, cols)`.

    Output shape:
        `(batch, time, new_rows, new_cols, filters)` with `return_sequences`, else
        `(batch, new_rows, new_cols, filters)` (channels first: filters before the spatial
        axes); then `h` and `c` of the last shape when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = ConvLSTM2D(4, 3, return_sequences=True)
        >>> layer(jnp.ones((2, 5, 6, 6, 3))).shape
        (2, 5, 4, 4, 4)
    """

    rank = 2


@register_builtin("keras.layers")
class ConvLSTM3D(_ConvLSTM):
    """3D convolutional LSTM: an LSTM whose products are 3D convolutions over volumes.

    Args:
        filters: Number of output channels.
        kernel_size: An int or 3 ints, the convolution window.
        strides: An int or 3 ints, the strides of the input convolution.
        padding: `"valid"` or `"same"`, the padding of the input convolution.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: An int or 3 ints, the dilation of the input convolution.
        dropout: Fraction of the input entries to drop (same entries at every step).
        recurrent_dropout: Fraction of the recurrent entries to drop.
        return_sequences: Whether to return the whole sequence or the last output.
        return_state: Whether to also return the final states `h` and `c`.
        go_backwards: Whether to process the sequence backwards (and return it reversed).
        stateful: Whether the final states of a batch are the initial states of the next.

    The other arguments (activations, initializers, regularizers, constraints,
    `unit_forget_bias`, `seed`) are those of `ConvLSTM2D`.

    Input shape:
        `(batch, time, dim1, dim2, dim3, channels)`, or channels before the spatial axes.

    Output shape:
        `(batch, time, new_dim1, new_dim2, new_dim3, filters)` with `return_sequences`, else
        without the time axis; then `h` and `c` when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> ConvLSTM3D(2, 2)(jnp.ones((1, 3, 4, 4, 4, 1))).shape
        (1, 3, 3, 3, 2)
    """

    rank = 3
