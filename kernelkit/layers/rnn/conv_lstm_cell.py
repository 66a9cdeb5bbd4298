"""`ConvLSTMCell`: one step of a convolutional LSTM (gates i, f, c, o as convolutions)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_padding, to_tuple
from kernelkit.registry import serialize

__all__ = ["ConvLSTMCell"]

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _dimension_numbers(rank, data_format):
    spatial = _SPATIAL[rank]
    image = f"N{spatial}C" if data_format == "channels_last" else f"NC{spatial}"
    return (image, f"{spatial}IO", image)


def conv_output_length(length, kernel, stride, dilation, padding):
    """The length of one spatial axis after a convolution (Keras's rule).

    Example:
        >>> conv_output_length(5, 3, 1, 1, "valid"), conv_output_length(5, 3, 2, 1, "same")
        (3, 3)
    """
    if padding == "same":
        return -(-length // stride)
    return (length - dilation * (kernel - 1) - 1) // stride + 1


class ConvLSTMCell(Layer):
    """One step of `ConvLSTM1D/2D/3D`: an LSTM whose products are convolutions.

    `kernel` is `kernel_size + (channels, 4 * filters)` and `recurrent_kernel`
    `kernel_size + (filters, 4 * filters)`, with the gate blocks in Keras's order input,
    forget, candidate, output on the last axis; the recurrent convolution always has stride 1
    and `"same"` padding. States are `[h, c]`, each a feature map.

    Args:
        rank: 1, 2 or 3, the number of spatial axes.
        filters: Number of output channels.
        kernel_size: An int or `rank` ints, the convolution window.
        strides: An int or `rank` ints, the input convolution's strides.
        padding: `"valid"` or `"same"`, the input convolution's padding.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: An int or `rank` ints, the input convolution's dilation.
        activation: Activation of the candidate and cell state (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer: Initializer of `kernel`.
        recurrent_initializer: Initializer of `recurrent_kernel`.
        bias_initializer: Initializer of `bias`.
        unit_forget_bias: If True, the forget-gate bias starts at 1.
        kernel_regularizer: Optional regularizer of `kernel`.
        recurrent_regularizer: Optional regularizer of `recurrent_kernel`.
        bias_regularizer: Optional regularizer of `bias`.
        kernel_constraint: Optional constraint of `kernel`.
        recurrent_constraint: Optional constraint of `recurrent_kernel`.
        bias_constraint: Optional constraint of `bias`.
        dropout: Fraction of the input entries to drop (one mask per gate, per sequence).
        recurrent_dropout: Fraction of the recurrent entries to drop.
        seed: Seed of the dropout masks.

    Example:
        >>> import jax.numpy as jnp
        >>> cell = ConvLSTMCell(2, filters=3, kernel_size=3, padding="same")
        >>> h, (h2, c) = cell(jnp.ones((1, 4, 4, 2)), cell.get_initial_state(1, (4, 4, 2)))
        >>> h.shape
        (1, 4, 4, 3)
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"{who}: `filters` must be a positive integer. "
                             f"Received: filters={filters!r}.")
        self.rank, self.filters = rank, filters
        self.kernel_size = to_tuple(who, kernel_size, rank, "kernel_size")
        self.strides = to_tuple(who, strides, rank, "strides")
        self.padding = to_padding(who, padding)
        self.data_format = to_data_format(who, data_format)
        self.dilation_rate = to_tuple(who, dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{who}: `strides > 1` is not compatible with `dilation_rate > 1`. Received: "
                f"strides={self.strides}, dilation_rate={self.dilation_rate}. Pass strides=1 "
                "or dilation_rate=1."
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias, self.unit_forget_bias = use_bias, unit_forget_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_stream = seed_stream(seed)
        self.state_size = -1  # feature maps: their shape depends on the input (Keras)

    # ---- shapes and weights -------------------------------------------------------------------

    def _split_step_shape(self, step_shape):
        """`(spatial, channels)` of a `(batch, ...)` step shape."""
        if self.data_format == "channels_last":
            return tuple(step_shape[1:-1]), step_shape[-1]
        return tuple(step_shape[2:]), step_shape[1]

    def state_shape(self, batch_size, step_shape):
        """The `(batch, ...)` shape of `h` and `c` for inputs of `step_shape` (no batch)."""
        spatial, _ = self._split_step_shape((None, *step_shape))
        out = tuple(conv_output_length(n, k, s, d, self.padding) for n, k, s, d in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate))
        if self.data_format == "channels_last":
            return (batch_size, *out, self.filters)
        return (batch_size, self.filters, *out)

    def get_initial_state(self, batch_size, step_shape):
        """Zero `[h, c]` for `batch_size` inputs of `step_shape` (without the batch axis)."""
        shape = self.state_shape(batch_size, step_shape)
        return [jnp.zeros(shape, self.compute_dtype), jnp.zeros(shape, self.compute_dtype)]

    def build(self, input_shape):
        spatial, channels = self._split_step_shape(input_shape)
        if None in spatial or channels is None:
            raise ValueError(
                f"{owner_of(self)}: ConvLSTM layers need known spatial and channel sizes. "
                f"Expected no None after the batch and time axes. Received: "
                f"input_shape={tuple(input_shape)}. Give the full shape in Input(shape=...)."
            )
        width = 4 * self.filters
        self.kernel = self.add_weight(shape=(*self.kernel_size, channels, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, width), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = self.add_weight(shape=(width,), name="bias",
                                    initializer=self._bias_initializer(),
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        n, base, ones = self.filters, self.bias_initializer, initializers.get("ones")

        def forget_gate_ones(shape, dtype=None):
            return jnp.concatenate([base((n,), dtype=dtype), ones((n,), dtype=dtype),
                                    base((2 * n,), dtype=dtype)])

        return forget_gate_ones

    # ---- the step -----------------------------------------------------------------------------

    def dropout_masks(self, inputs, state, training):
        """`(input_masks, recurrent_masks)`: `None` or 4 scaled keep masks, one per gate."""
        def draw(like, rate):
            if not training or not 0.0 < rate < 1.0:
                return None
            keep = jax.random.bernoulli(self.seed_stream(), 1.0 - rate, (4, *like.shape))
            return keep.astype(like.dtype) / jnp.asarray(1.0 - rate, like.dtype)
        return draw(inputs, self.dropout), draw(state, self.recurrent_dropout)

    def weight_arrays(self) -> list:
        """`[kernel, recurrent_kernel, bias or None]` as arrays."""
        return [self.kernel[...], self.recurrent_kernel[...],
                None if self.bias is None else self.bias[...]]

    def step_config(self) -> tuple:
        """The hashable settings of `step_function`: everything it needs but the weights."""
        return (self.rank, self.data_format, self.strides, self.padding, self.dilation_rate,
                self.activation, self.recurrent_activation)

    @staticmethod
    def step_function(config, weights, inputs, states, input_masks, recurrent_masks):
        """Pure step `(h, [h, c])` from `step_config()`, `weight_arrays()` and the masks."""
        rank, data_format, strides, padding, dilation, activation, recurrent_activation = config
        kernel, recurrent_kernel, bias = weights
        h_prev, c_prev = states
        numbers = _dimension_numbers(rank, data_format)
        axis = -1 if data_format == "channels_last" else 1
        ones = (1,) * rank

        def gates(x, w, masks, strides, padding, dilation):
            def conv(x, w):
                return jax.lax.conv_general_dilated(
                    x, w, window_strides=strides, padding=padding.upper(),
                    rhs_dilation=dilation, dimension_numbers=numbers)
            if masks is None:  # one convolution computes the 4 gate blocks
                return conv(x, w)
            return jnp.concatenate([conv(x * m, k) for m, k in
                                    zip(masks, jnp.split(w, 4, axis=-1))], axis=axis)

        z = gates(inputs, kernel, input_masks, strides, padding, dilation)
        z = z + gates(h_prev, recurrent_kernel, recurrent_masks, ones, "same", ones)
        if bias is not None:
            z = z + (bias if axis == -1 else bias.reshape((-1,) + ones))
        z_i, z_f, z_c, z_o = jnp.split(z, 4, axis=axis)
        i = recurrent_activation(z_i)
        f = recurrent_activation(z_f)
        c = f * c_prev + i * activation(z_c)
        h = recurrent_activation(z_o) * activation(c)
        return h, [h, c]

    def call(self, inputs, states, training=None):
        masks = self.dropout_masks(inputs, states[0], training)
        weights = [None if w is None else w.astype(self.compute_dtype)
                   for w in self.weight_arrays()]
        return self.step_function(self.step_config(), weights, inputs, list(states), *masks)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "recurrent_initializer": serialize(self.recurrent_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "recurrent_regularizer": serialize(self.recurrent_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "recurrent_constraint": serialize(self.recurrent_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
