"""`InputLayer` and `Input()`: the entry points of functional models."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import Node, SymbolicTensor
from kernelkit.naming import unique_name
from kernelkit.registry import register_builtin

__all__ = ["Input", "InputLayer"]


@register_builtin("keras.layers")
class InputLayer(Layer):
    """The layer behind `Input()`: it holds the input's shape and dtype and passes data through.

    Args:
        shape: Shape without the batch dimension, e.g. `(32,)`.
        batch_size: Optional fixed batch size.
        dtype: Input dtype (default float32).
        batch_shape: Full shape including the batch dimension (instead of `shape`).
        name: Layer name (default `input_layer`, `input_layer_1`, ...).

    Example:
        >>> layer = InputLayer(shape=(3,))
        >>> layer.name, layer.batch_shape
        ('input_layer', (None, 3))
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        legacy = kwargs.pop("input_shape", None)
        batch_shape = kwargs.pop("batch_input_shape", batch_shape)
        shape = legacy if shape is None else shape
        kwargs.pop("trainable", None)
        name = name or unique_name("input_layer")
        if isinstance(dtype, dict):
            dtype = dtype.get("config", {}).get("name")
        super().__init__(name=name, **{k: v for k, v in kwargs.items() if k == "dtype"})
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer '{name}': give `shape` or `batch_shape`, not both. "
                f"Received: shape={shape}, batch_shape={batch_shape}."
            )
        if shape is None and batch_shape is None:
            raise ValueError(
                f"InputLayer '{name}': a shape is required. Expected `shape=(...)` without the "
                "batch dimension, e.g. Input(shape=(32,)). Received: shape=None."
            )
        if isinstance(shape, int):
            shape = (shape,)
        if shape is not None:
            batch_shape = (batch_size, *tuple(shape))
        batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self.batch_shape = batch_shape
        self._input_dtype = ("string" if dtype in ("string", "str") else
                             jnp.dtype(dtype or config.floatx()).name)
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        tensor = SymbolicTensor(batch_shape, self._input_dtype, name=name)
        Node(self, (), {}, tensor)
        self._output = tensor

    @property
    def dtype(self) -> str:
        return self._input_dtype

    def call(self, inputs):
        return inputs

    def get_config(self) -> dict:
        return {"batch_shape": list(self.batch_shape), "dtype": self._input_dtype,
                "sparse": self.sparse, "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False):
    """Returns a symbolic tensor standing for a model input.

    Example:
        >>> x = Input(shape=(32,))
        >>> x.shape
        (None, 32)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, optional=optional)
    return layer._output
