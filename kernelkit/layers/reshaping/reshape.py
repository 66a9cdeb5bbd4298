"""`Reshape`: reshapes each sample to `target_shape` (one axis may be `-1`)."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin
from kernelkit.shapes import to_dims

__all__ = ["Reshape"]


@register_builtin("keras.layers")
class Reshape(Layer):
    """Reshapes the non-batch axes of the input to `target_shape`.

    Args:
        target_shape: The new shape without the batch axis; at most one entry may be `-1`,
            inferred from the input's size.

    Input shape:
        `(batch, ...)` with as many values per sample as `target_shape` holds.

    Output shape:
        `(batch, *target_shape)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Reshape((-1, 2))(jnp.ones((3, 12))).shape
        (3, 6, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target = to_dims(target_shape, minimum=-1, allow_none=False)
        if target is None or isinstance(target_shape, int | str):
            raise ValueError(
                f"Reshape '{self.name}': invalid `target_shape`. Expected a tuple of "
                f"non-negative integers with at most one -1. Received: "
                f"target_shape={target_shape!r}."
            )
        if target.count(-1) > 1:
            raise ValueError(
                f"Reshape '{self.name}': `target_shape` may hold at most one -1 (an axis to "
                f"infer). Received: target_shape={target}."
            )
        self.target_shape = target
        self.built = True

    def call(self, inputs):
        shape = self._resolve(tuple(inputs.shape))
        return jnp.reshape(inputs, (inputs.shape[0], *shape))

    def compute_output_spec(self, inputs, *args, **kwargs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._resolve(tuple(input_shape)))

    def _resolve(self, input_shape):
        """The target shape with `-1` resolved (`None` when the input size is unknown)."""
        rest = input_shape[1:]
        if None in rest:
            return tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(rest)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            fits = known > 0 and size % known == 0
        else:
            fits = known == size
        if not fits:
            raise ValueError(
                f"Reshape '{self.name}': cannot reshape inputs of shape {input_shape} "
                f"({size} values per sample) to target_shape={self.target_shape}. Expected "
                "a target shape holding the same number of values. Received: "
                f"input_shape={input_shape}."
            )
        return tuple(size // known if d == -1 else d for d in self.target_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("target_shape"), list):  # JSON turns tuples into lists
            config["target_shape"] = tuple(config["target_shape"])
        return super().from_config(config)
