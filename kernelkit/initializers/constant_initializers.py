"""Deterministic initializers: `Constant`, `Zeros`, `Ones`, `Identity`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import registry
from kernelkit.initializers.initializer import Initializer, _dtype, _register

__all__ = ["Constant", "Identity", "Ones", "Zeros"]


@_register("constant")
class Constant(Initializer):
    """Fills with `value` (a scalar, or an array that broadcasts to the shape).

    Args:
        value: The fill value. Defaults to `0.0`.

    Example:
        >>> Constant(3.0)((2,)).tolist()
        [3.0, 3.0]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        return jnp.asarray(self.value, dtype=dtype) * jnp.ones(shape, dtype=dtype)

    def get_config(self):
        return {"value": registry.serialize(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(registry.deserialize(config["value"], where="Constant config 'value'"))


@_register("zeros", "zero")
class Zeros(Initializer):
    """Fills with zeros.

    Example:
        >>> Zeros()((2,)).tolist()
        [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return jnp.zeros(shape, dtype=_dtype(dtype))


@_register("ones", "one")
class Ones(Initializer):
    """Fills with ones.

    Example:
        >>> Ones()((2,), dtype="int32").tolist()
        [1, 1]
    """

    def __call__(self, shape, dtype=None):
        return jnp.ones(shape, dtype=_dtype(dtype))


@_register("identity", "IdentityInitializer")
class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only; non-square ones get a partial eye).

    Args:
        gain: Multiplicative factor. Defaults to `1.0`.

    Example:
        >>> Identity(2.0)((2, 2)).tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(
                "Identity: an identity matrix needs a 2-D shape. Expected (rows, columns). "
                f"Received: shape={tuple(shape)} of rank {len(shape)}. Use it for Dense "
                "kernels, or Orthogonal for higher ranks."
            )
        return self.gain * jnp.eye(*shape, dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}
