"""`TimeDistributed`: applies a layer to every time step (one call on `batch * time` rows)."""

from __future__ import annotations

import inspect

import jax

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize, register_builtin, serialize
from kernelkit.shapes import check_rank

__all__ = ["TimeDistributed"]


@register_builtin("keras.layers")
class TimeDistributed(Layer):
    """Applies `layer` to every temporal slice of the input.

    The batch and time axes are merged, the layer runs once on `(batch * time, ...)`, and the
    result is split back, so the same weights serve every time step.

    Args:
        layer: The `Layer` to apply at each time step.

    Call arguments:
        inputs: `(batch, time, ...)`.
        training: Passed to the layer if its `call` takes it.
        mask: Optional `(batch, time, ...)` mask, passed to the layer per step if it takes one.

    Input shape:
        `(batch, time, ...)`, where `(batch, ...)` is what `layer` accepts.

    Output shape:
        `(batch, time, ...)`, where `(batch, ...)` is what `layer` returns.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import Dense
        >>> TimeDistributed(Dense(4))(jnp.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"TimeDistributed: `layer` must be a kernelkit Layer instance. Received: "
                f"layer={describe(layer)}. Pass a layer object, e.g. TimeDistributed(Dense(8))."
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def build(self, input_shape):
        input_shape = check_rank(f"TimeDistributed '{self.name}'", input_shape, 3,
                                 "batch, time, ...", at_least=True, fix="Add a time axis.")
        self.layer._maybe_build((input_shape[0], *input_shape[2:]))

    def call(self, inputs, training=None, mask=None):
        batch, time = inputs.shape[:2]
        params = inspect.signature(self.layer.call).parameters
        kwargs = {}
        if "training" in params:
            kwargs["training"] = training
        if mask is not None:
            if tuple(mask.shape[:2]) != (batch, time):
                raise ValueError(
                    f"TimeDistributed '{self.name}': the mask must start with the input's "
                    f"(batch, time) axes {(batch, time)}. Received: mask={describe(mask)} for "
                    f"inputs={describe(inputs)}. Pass a (batch, time) mask."
                )
            if "mask" in params:
                kwargs["mask"] = mask.reshape((batch * time, *mask.shape[2:]))
        outputs = self.layer(inputs.reshape((batch * time, *inputs.shape[2:])), **kwargs)
        return jax.tree_util.tree_map(lambda o: o.reshape((batch, time, *o.shape[1:])), outputs)

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize(config["layer"], module="keras.layers", where="layer")
        return super().from_config(config)
