"""`Bidirectional`: runs a recurrent layer forwards and backwards and merges the outputs."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Bidirectional"]

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


@register_builtin("keras.layers")
class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs: a forward copy and a backward copy of `layer`.

    The forward layer is a fresh copy of `layer` named `forward_<name>`; the backward layer
    is `backward_layer`, or a copy with `go_backwards=True` named `backward_<name>`. Weights
    are the forward layer's, then the backward layer's (as in Keras).

    Args:
        layer: A recurrent layer (`LSTM`, `GRU`, `SimpleRNN` or an `RNN`).
        merge_mode: How the two outputs combine: `"concat"` (default), `"sum"`, `"mul"`,
            `"ave"`, or `None` to return both.
        weights: Optional initial weights, forward then backward.
        backward_layer: Optional layer for the backward direction; it must have
            `go_backwards` opposite to `layer` and the same `return_sequences`,
            `return_state` and `stateful`.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: Optional list of states: the forward layer's, then the backward's.
        mask: Optional boolean `(batch, timesteps)` mask.
        training: Whether dropout is active.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        The wrapped layer's output with the last axis doubled for `"concat"`, unchanged for
        the other modes, or two outputs for `None`; then the forward and backward states when
        `return_state`.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import LSTM
        >>> Bidirectional(LSTM(4))(jnp.ones((2, 5, 3))).shape
        (2, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        for arg, value in (("layer", layer), ("backward_layer", backward_layer)):
            if value is not None and not isinstance(value, Layer):
                raise ValueError(
                    f"Bidirectional: `{arg}` must be a kernelkit Layer instance. Received: "
                    f"{arg}={describe(value)}. Pass a recurrent layer, e.g. LSTM(8)."
                )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Bidirectional: invalid `merge_mode`. Expected one of {list(_MERGE_MODES)}. "
                f"Received: merge_mode={merge_mode!r}."
            )
        super().__init__(weights=weights, **kwargs)
        self.forward_layer = _copy_of(layer, name=f"forward_{_without(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _copy_of(layer, go_backwards=True,
                                      name=f"backward_{_without(layer.name, 'backward_')}")
        self.backward_layer = backward_layer
        self._check_directions()
        for direction in (self.forward_layer, self.backward_layer):
            if getattr(direction, "zero_output_for_mask", None) is not None:
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _check_directions(self) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"Bidirectional '{self.name}': the forward and backward layers must have "
                f"different `go_backwards`. Received: forward go_backwards="
                f"{forward.go_backwards}, backward go_backwards={backward.go_backwards}. "
                "Set go_backwards=True on the backward layer only."
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attr) != getattr(backward, attr):
                raise ValueError(
                    f"Bidirectional '{self.name}': the forward and backward layers must have "
                    f"the same `{attr}`. Received: forward {attr}={getattr(forward, attr)}, "
                    f"backward {attr}={getattr(backward, attr)}."
                )

    @property
    def states(self):
        forward, backward = self.forward_layer.states, self.backward_layer.states
        return tuple(forward + backward) if forward and backward else None

    def reset_states(self) -> None:
        """Zeroes the states of both directions (stateful layers only)."""
        if not self.stateful:
            raise AttributeError(
                f"Bidirectional '{self.name}': reset_states() needs a stateful layer. "
                "Received: stateful=False. Wrap a layer created with stateful=True."
            )
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def build(self, sequences_shape, initial_state_shape=None):
        self.forward_layer._maybe_build(sequences_shape)
        self.backward_layer._maybe_build(sequences_shape)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        kwargs = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = jnp.flip(y_rev, axis=1)  # back to input time order
        output = _merge(self.merge_mode, y, y_rev)
        if self.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list | tuple):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (2 if self.merge_mode is None else 1)
        if self.return_state:
            masks += [None] * (2 * len(self.forward_layer.state_size))
        return masks if len(masks) > 1 else masks[0]

    def get_config(self):
        return {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialize(self.forward_layer),
            "backward_layer": serialize(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize(config["layer"], module="keras.layers", where="layer")
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"],
                                                   module="keras.layers", where="layer")
        return super().from_config(config)


def _copy_of(layer, **overrides):
    """A fresh, unbuilt layer with `layer`'s config and the given entries replaced."""
    return type(layer).from_config({**layer.get_config(), **overrides})


def _without(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name


def _merge(mode, y, y_rev):
    if mode == "concat":
        return jnp.concatenate([y, y_rev], axis=-1)
    if mode == "sum":
        return y + y_rev
    if mode == "ave":
        return (y + y_rev) / 2
    if mode == "mul":
        return y * y_rev
    return (y, y_rev)
