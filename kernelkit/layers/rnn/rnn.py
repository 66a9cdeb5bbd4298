"""`RNN`: runs a recurrent cell over the time axis with `jax.lax.scan` (masks, state, dropout)."""

from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.rnn.rnn_cell import RNNCell
from kernelkit.layers.variables import NonTrainableWeight
from kernelkit.registry import deserialize, register_builtin, serialize
from kernelkit.shapes import check_rank

__all__ = ["RNN", "scan_over_time"]


@register_builtin("keras.layers")
class RNN(Layer):
    """Base class of recurrent layers: applies `cell` to every time step of a sequence.

    The loop is a `jax.lax.scan` (fully unrolled when `unroll=True`). Masked time steps keep
    the previous states and repeat the previous output (zeros with `zero_output_for_mask`).

    Args:
        cell: A cell: a layer with `call(inputs, states)` returning `(output, new_states)` and
            a `state_size` attribute (an int or a list of ints).
        return_sequences: Whether to return the whole output sequence or only the last output.
        return_state: Whether to return the final states after the output.
        go_backwards: If True, process the sequence backwards and return the reversed
            sequence.
        stateful: If True, the final states of a batch are the initial states of the next
            one; the batch size must then be fixed.
        unroll: If True, unroll the loop (faster for short sequences, more memory).
        zero_output_for_mask: Whether masked steps output zeros instead of the last output.

    Call arguments:
        sequences: `(batch, timesteps, ...)` inputs.
        initial_state: Optional list of initial states, one `(batch, size)` array per state.
        mask: Optional boolean `(batch, timesteps)`; False marks a step to skip.
        training: Whether the cell's dropout is active.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, timesteps, units)` with `return_sequences`, else `(batch, units)`; followed by
        the final states when `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import LSTMCell
        >>> RNN(LSTMCell(4), return_sequences=True)(jnp.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, list | tuple):
            raise TypeError(
                f"{type(self).__name__}: a list of cells is not supported. Expected one cell. "
                f"Received: cell={describe(cell)}. Stack several recurrent layers instead, "
                "with return_sequences=True on all but the last."
            )
        state_size = getattr(cell, "state_size", None)
        if not callable(getattr(cell, "call", None)) or state_size is None:
            raise ValueError(
                f"{type(self).__name__}: `cell` must have a `call(inputs, states)` method and a "
                f"`state_size` attribute. Received: cell={describe(cell)}. Pass an RNN cell "
                "such as LSTMCell(units)."
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self.states = None

    @property
    def state_size(self) -> list:
        """The size of each state, as a list."""
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    # ---- build --------------------------------------------------------------------------------

    def build(self, sequences_shape, initial_state_shape=None):
        who = f"{type(self).__name__} '{self.name}'"
        sequences_shape = check_rank(who, sequences_shape, 3, "batch, timesteps, features",
                                     at_least=True, fix="Add a time axis, e.g. with Reshape or "
                                                        "by feeding sequences.")
        if self.unroll and sequences_shape[1] is None:
            raise ValueError(
                f"{who}: cannot unroll a loop over an unknown number of time steps. Expected a "
                f"fixed time axis. Received: input_shape={sequences_shape}. Give the time "
                "length in Input(shape=...) or pass unroll=False."
            )
        if isinstance(self.cell, Layer):
            self.cell._maybe_build((sequences_shape[0], *sequences_shape[2:]))
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    f"{who}: a stateful RNN needs a fixed batch size. Expected a known batch "
                    f"dimension. Received: input_shape={sequences_shape}. Pass "
                    "batch_size=... to Input() (or batch_input_shape to the first layer)."
                )
            self.states = [
                NonTrainableWeight(jnp.zeros((sequences_shape[0], size), self.dtype),
                                   name="rnn_state", path=f"{self.name}/rnn_state")
                for size in self.state_size
            ]

    def get_initial_state(self, batch_size) -> list:
        """Zero states for `batch_size` sequences (or the cell's own initial states)."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            states = make(batch_size=batch_size)
            return list(states) if isinstance(states, list | tuple) else [states]
        return [jnp.zeros((batch_size, size), self.compute_dtype) for size in self.state_size]

    def reset_states(self) -> None:
        """Zeroes the kept states of a stateful layer (does nothing otherwise)."""
        for v in self.states or []:
            v[...] = jnp.zeros(v.shape, v.dtype)

    reset_state = reset_states

    # ---- call ---------------------------------------------------------------------------------

    def call(self, sequences, initial_state=None, mask=None, training=None):
        batch = sequences.shape[0]
        if self.stateful and batch != self.states[0].shape[0]:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': a stateful RNN keeps states for a fixed "
                f"batch size. Expected batch size {self.states[0].shape[0]}. Received: "
                f"sequences={describe(sequences)}. Feed batches of the same size (drop the "
                "remainder) or rebuild the layer."
            )
        if initial_state is not None:
            states = self._checked_initial_state(initial_state, batch)
        elif self.stateful:
            states = [v[...] for v in self.states]
        else:
            states = self.get_initial_state(batch)
        states = tuple(jnp.asarray(s).astype(self.compute_dtype) for s in states)
        mask = self._checked_mask(mask, sequences)
        last_output, outputs, final_states = self._loop(sequences, states, mask, bool(training))
        if self.stateful:
            for v, s in zip(self.states, final_states):
                v[...] = s.astype(v.dtype)
        output = outputs if self.return_sequences else last_output
        return (output, *final_states) if self.return_state else output

    def _loop(self, sequences, states, mask, training):
        cell = self.cell
        loop_config = (self.go_backwards, bool(self.unroll), self.zero_output_for_mask)
        if isinstance(cell, RNNCell):
            # one draw per sequence: every time step drops the same units (Keras)
            masks = cell.dropout_masks(sequences[:, 0], states[0], training)
            return _cell_loop(type(cell).step_function, cell.step_config(), loop_config,
                              cell.weight_arrays(), sequences, states, mask, masks)
        params = inspect.signature(cell.call).parameters
        extra = {"training": training} if "training" in params else {}
        return scan_over_time(lambda x, s: cell.call(x, s, **extra), sequences, states, mask,
                              *loop_config)

    def _checked_initial_state(self, initial_state, batch):
        states = list(initial_state) if isinstance(initial_state, list | tuple) else [
            initial_state]
        expected = [(batch, size) for size in self.state_size]
        shapes = [tuple(getattr(s, "shape", ())) for s in states]
        if shapes != expected:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': `initial_state` does not match the "
                f"layer's states. Expected {len(expected)} array(s) of shapes {expected}. "
                f"Received: initial_state={describe(initial_state)}. Pass one (batch, size) "
                "array per state ([h, c] for an LSTM)."
            )
        return states

    def _checked_mask(self, mask, sequences):
        if isinstance(mask, list | tuple):
            mask = mask[0] if mask else None
        if mask is None:
            return None
        mask = jnp.asarray(mask)
        if tuple(mask.shape) != tuple(sequences.shape[:2]):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the mask must have shape (batch, "
                f"timesteps) = {tuple(sequences.shape[:2])}. Received: mask={describe(mask)} "
                f"for sequences={describe(sequences)}. Pass one boolean per time step."
            )
        return mask.astype(bool)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list | tuple):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize(self.cell),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["cell"] = deserialize(config["cell"], module="keras.layers", where="RNN cell")
        return super().from_config(config)


@functools.partial(jax.jit, static_argnums=(0, 1, 2))
def _cell_loop(step_function, step_config, loop_config, weights, sequences, states, mask,
               dropout_masks):
    """The loop of a built-in cell, compiled once per configuration and shapes."""
    weights = [None if w is None else w.astype(sequences.dtype) for w in weights]

    def step(x, carry):
        return step_function(step_config, weights, x, carry, *dropout_masks)

    return scan_over_time(step, sequences, states, mask, *loop_config)


def scan_over_time(step, sequences, states, mask, go_backwards, unroll, zero_output_for_mask):
    """Runs `step(x_t, states) -> (output, new_states)` over axis 1 with `jax.lax.scan`.

    Masked steps (mask False) keep the states and repeat the previous output (or output
    zeros). Returns `(last_output, outputs, final_states)`; with `go_backwards` the outputs
    come in processing order, as in Keras.

    Example:
        >>> import jax.numpy as jnp
        >>> last, outs, (total,) = scan_over_time(
        ...     lambda x, s: (s[0] + x, [s[0] + x]), jnp.ones((1, 3, 2)),
        ...     (jnp.zeros((1, 2)),), None, False, False, False)
        >>> total.tolist()
        [[3.0, 3.0]]
    """

    def run_step(x, carry):
        output, new_states = step(x, list(carry))
        if not isinstance(new_states, list | tuple):
            new_states = [new_states]
        return output, tuple(n.astype(c.dtype) for n, c in zip(new_states, carry))

    xs = jnp.swapaxes(sequences, 0, 1)  # (time, batch, features)
    if mask is None:
        def body(carry, x):
            output, new_states = run_step(x, carry)
            return new_states, output
        scan_xs = xs
    else:
        def body(carry, x_and_keep):
            x, keep = x_and_keep
            output, new_states = run_step(x, carry)
            previous = jnp.zeros_like(output) if zero_output_for_mask else carry[0]
            output = jnp.where(keep, output, previous.astype(output.dtype))
            new_states = tuple(jnp.where(keep, n, c) for n, c in zip(new_states, carry))
            return new_states, output
        scan_xs = (xs, jnp.swapaxes(mask, 0, 1)[..., None])  # keep: (time, batch, 1)
    final_states, outputs = jax.lax.scan(body, tuple(states), scan_xs, reverse=go_backwards,
                                         unroll=unroll or 1)
    if go_backwards:
        outputs = jnp.flip(outputs, axis=0)  # processing order, as Keras returns it
    return outputs[-1], jnp.swapaxes(outputs, 0, 1), final_states
