"""`Rescaling`: `inputs * scale + offset`, e.g. to map pixels from [0, 255] to [0, 1]."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["Rescaling"]


def _to_python(value):
    """Numbers stay numbers; arrays become (nested) lists, so the layer stays hashable."""
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":  # Keras's encoding
        return value["config"]["value"]
    if isinstance(value, np.ndarray | np.generic | list | tuple) or hasattr(value, "__jax_array__"):
        return np.asarray(value).tolist()
    return value


@register_builtin("keras.layers")
class Rescaling(Layer):
    """Multiplies the inputs by `scale` and adds `offset` (computed in the compute dtype).

    Args:
        scale: Float, or a list/array broadcastable to the inputs (e.g. one per channel).
        offset: Float, or a list/array broadcastable to the inputs.

    Input shape:
        Any shape (integer inputs are cast to the compute dtype).

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> Rescaling(1 / 255)(jnp.array([[0, 255]])).tolist()
        [[0.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _to_python(scale)
        self.offset = _to_python(offset)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = jnp.asarray(self.scale, dtype)
        offset = jnp.asarray(self.offset, dtype)
        return inputs.astype(dtype) * scale + offset

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
