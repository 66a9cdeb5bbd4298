"""Initial optimizer variables made on the host and put on the device, compiling nothing.

Outside a trace, `jnp.zeros_like(p)` runs a small XLA program that is compiled once per shape
(tens of milliseconds each on CPU), so a fresh optimizer's `init` cost as much as a third of a
small model's first `fit()` epoch. These helpers build the constant with NumPy and hand it to
`jax.device_put`, which transfers without compiling. Inside a trace (someone jitting `init`)
they fall back to `jnp`, so no large constant is baked into a program.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["full", "full_like", "zeros", "zeros_like"]


def _traced(like) -> bool:
    return isinstance(like, jax.core.Tracer)


def full(shape, value, dtype, like=None) -> jax.Array:
    """An array of `shape` filled with `value`, placed like `like` (a parameter), if given.

    Example:
        >>> full((2,), 0.5, "float32").tolist()
        [0.5, 0.5]
    """
    if _traced(like):
        return jnp.full(shape, value, dtype)
    host = np.full(shape, value, dtype=dtype)
    sharding = getattr(like, "sharding", None)
    if sharding is not None and len(sharding.device_set) > 1 and np.shape(like) == host.shape:
        return jax.device_put(host, sharding)
    return jax.device_put(host)


def zeros(shape, dtype, like=None) -> jax.Array:
    """Zeros of `shape` and `dtype` (see `full`)."""
    return full(shape, 0, dtype, like)


def full_like(p, value) -> jax.Array:
    """An array shaped and typed like the parameter `p`, filled with `value`."""
    return full(np.shape(p), value, p.dtype, like=p)


def zeros_like(p) -> jax.Array:
    """Zeros shaped and typed like the parameter `p`.

    Example:
        >>> zeros_like(jnp.ones((2, 3))).shape
        (2, 3)
    """
    return full_like(p, 0)
