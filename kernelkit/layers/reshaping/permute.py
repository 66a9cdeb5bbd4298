"""`Permute`: reorders the non-batch axes of the input."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["Permute"]


@register_builtin("keras.layers")
class Permute(Layer):
    """Permutes the non-batch axes: output axis `i` is input axis `dims[i - 1]`.

    Args:
        dims: A permutation of `1, ..., rank - 1` (the batch axis 0 stays first).

    Input shape:
        `(batch, d1, ..., dn)` with `n == len(dims)`.

    Output shape:
        `(batch, d[dims[0]], ..., d[dims[n-1]])`.

    Example:
        >>> import jax.numpy as jnp
        >>> Permute((2, 1))(jnp.ones((4, 10, 64))).shape
        (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(dims)
            valid = sorted(dims) == list(range(1, len(dims) + 1))
        except TypeError:
            valid = False
        if not valid:
            raise ValueError(
                f"Permute '{self.name}': invalid permutation `dims`. Expected a permutation of "
                f"the axes 1, ..., n (the batch axis 0 stays first). Received: dims={dims!r}."
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs):
        return jnp.transpose(inputs, (0, *self.dims))

    def compute_output_spec(self, inputs, *args, **kwargs):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dims"), list):  # JSON turns tuples into lists
            config["dims"] = tuple(config["dims"])
        return super().from_config(config)
