"""`RNNCell`: the shared base of the built-in cells (arguments, weights, dropout masks)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.registry import serialize

__all__ = ["RNNCell", "dropped_matmul"]


class RNNCell(Layer):
    """Base of `SimpleRNNCell`, `LSTMCell` and `GRUCell`: one time step of a recurrent layer.

    A cell holds `kernel` `(input_dim, gates * units)`, `recurrent_kernel`
    `(units, gates * units)` and `bias`, in Keras's layout and creation order. Subclasses set
    `gate_count` and `state_count` and implement the pure `step_function(config, weights,
    inputs, states, input_mask, recurrent_mask)`, so the `RNN` loop compiles once per
    configuration rather than once per call. Dropout masks are drawn once per sequence by
    the `RNN` layer: every time step of one call drops the same units (as in Keras).

    Args:
        units: Positive integer, dimensionality of the output space.
        activation: Activation of the candidate state.
        use_bias: Whether the cell uses a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: Initializers.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units to drop (clipped to `[0, 1]`).
        recurrent_dropout: Fraction of the recurrent units to drop (clipped to `[0, 1]`).
        seed: Seed of the dropout masks.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import LSTMCell
        >>> cell = LSTMCell(4)
        >>> out, states = cell(jnp.ones((2, 3)), cell.get_initial_state(2))
        >>> out.shape, len(states)
        ((2, 4), 2)
    """

    gate_count = 1
    state_count = 1

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        kwargs.pop("implementation", None)  # Keras 2 configs; one implementation here
        super().__init__(**kwargs)
        who = f"{type(self).__name__} '{self.name}'"
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"{who}: `units` must be a positive integer. Received: units={units!r}."
            )
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not isinstance(rate, int | float) or isinstance(rate, bool):
                raise TypeError(
                    f"{who}: `{arg}` must be a float between 0 and 1. "
                    f"Received: {arg}={rate!r}."
                )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
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

    @property
    def state_size(self):
        """The size of each state: an int for one state, a list for several (Keras)."""
        return self.units if self.state_count == 1 else [self.units] * self.state_count

    @property
    def output_size(self) -> int:
        return self.units

    def get_initial_state(self, batch_size=None) -> list:
        """Zero states, one `(batch_size, units)` array per state."""
        return [jnp.zeros((batch_size, self.units), self.compute_dtype)
                for _ in range(self.state_count)]

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the feature axis of the input must be "
                f"known to build the cell. Received: input_shape={tuple(input_shape)}."
            )
        width = self.gate_count * self.units
        self.kernel = self.add_weight(shape=(input_dim, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, width),
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = self.add_weight(shape=self.bias_shape(), name="bias",
                                    initializer=self.bias_initializer_for_build(),
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def bias_shape(self) -> tuple:
        return (self.gate_count * self.units,)

    def bias_initializer_for_build(self):
        return self.bias_initializer

    # ---- dropout ------------------------------------------------------------------------------

    def dropout_masks(self, inputs, state, training=None):
        """Draws `(input_mask, recurrent_mask)`, each `None` or `(count, batch, features)`.

        As in Keras, a rate of 0 or 1 disables dropout; with recurrent dropout each gate gets
        its own masks (Keras's `implementation=1`), otherwise one input mask is shared.
        """
        count = self.gate_count if 0.0 < self.recurrent_dropout < 1.0 else 1
        return (self._draw_mask(inputs, self.dropout, count, training),
                self._draw_mask(state, self.recurrent_dropout, count, training))

    def _draw_mask(self, like, rate, count, training):
        if not training or not 0.0 < rate < 1.0:
            return None
        keep = jax.random.bernoulli(self.seed_stream(), 1.0 - rate, (count, *like.shape))
        return keep.astype(like.dtype) / jnp.asarray(1.0 - rate, like.dtype)

    # ---- call ---------------------------------------------------------------------------------

    def call(self, inputs, states, training=None, dropout_masks=None):
        """One step: returns `(output, new_states)`; `states` is a list (or one array)."""
        single = not isinstance(states, list | tuple)
        states = [states] if single else list(states)
        if dropout_masks is None:
            dropout_masks = self.dropout_masks(inputs, states[0], training)
        weights = [None if w is None else w.astype(self.compute_dtype) for w in self.weight_arrays()]
        output, new_states = self.step_function(self.step_config(), weights, inputs, states,
                                                *dropout_masks)
        return output, (new_states[0] if single else new_states)

    def weight_arrays(self) -> list:
        """`[kernel, recurrent_kernel, bias or None]` as arrays."""
        return [self.kernel[...], self.recurrent_kernel[...],
                None if self.bias is None else self.bias[...]]

    def step_config(self) -> tuple:
        """The hashable settings of `step_function`: everything it needs but the weights."""
        return (self.activation,)

    @staticmethod
    def step_function(config, weights, inputs, states, input_mask, recurrent_mask):
        """Pure step `(output, new_states)` from `step_config()` and `weight_arrays()`."""
        raise NotImplementedError

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "recurrent_initializer": serialize(self.recurrent_initializer),
            "bias_initializer": serialize(self.bias_initializer),
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


def dropped_matmul(x, mask, kernel):
    """`x @ kernel`, with `x` dropped by `mask`: `None`, one mask, or one per gate block.

    Example:
        >>> import jax.numpy as jnp
        >>> dropped_matmul(jnp.ones((2, 3)), None, jnp.ones((3, 4))).shape
        (2, 4)
    """
    if mask is None:
        return jnp.matmul(x, kernel)
    if mask.shape[0] == 1:
        return jnp.matmul(x * mask[0], kernel)
    gates = mask.shape[0]
    blocks = kernel.reshape(kernel.shape[0], gates, -1)  # (in, gates, units)
    out = jnp.einsum("gbi,igu->bgu", x[None] * mask, blocks)
    return out.reshape(x.shape[0], -1)
