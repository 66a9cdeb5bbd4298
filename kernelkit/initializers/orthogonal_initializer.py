"""`Orthogonal`: a (semi-)orthogonal matrix times a gain."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit.initializers.initializer import _float_dtype, _register
from kernelkit.initializers.random_initializers import _RandomInitializer

__all__ = ["Orthogonal"]


@_register("orthogonal", "OrthogonalInitializer")
class Orthogonal(_RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, over all axes but the last flattened together.

    Args:
        gain: Multiplicative factor. Defaults to `1.0`.
        seed: An int for repeatable values, or None.

    Example:
        >>> w = Orthogonal(seed=0)((3, 3))
        >>> bool(jnp.allclose(w @ w.T, jnp.eye(3), atol=1e-5))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError(
                "Orthogonal: the tensor to initialize must be at least 2-D. Expected a shape "
                f"of rank >= 2. Received: shape={tuple(shape)} of rank {len(shape)}. Use it "
                "for kernels, not biases."
            )
        dtype = _float_dtype("Orthogonal", dtype)
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat_shape = (max(rows, cols), min(rows, cols))
        with jax.ensure_compile_time_eval():
            q, r = jnp.linalg.qr(jax.random.normal(self._key(), flat_shape, dtype=dtype))
            q = q * jnp.sign(jnp.diag(r))  # makes the decomposition unique
            if rows < cols:
                q = q.T
            return self.gain * jnp.reshape(q, shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
