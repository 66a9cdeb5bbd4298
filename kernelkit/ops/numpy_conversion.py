"""How the numpy-family ops turn their inputs into JAX arrays of Keras's dtypes."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import config

__all__ = ["cast", "to_array", "to_array_like", "to_float"]

_ARRAY = jax.Array
_INEXACT = frozenset(jnp.dtype(d) for d in ("bfloat16", "float16", "float32", "float64",
                                            "complex64", "complex128"))


def cast(x, dtype):
    """Returns the array `x` as `dtype`, without a cast when it already has that dtype.

    Args:
        x: A JAX array.
        dtype: The target dtype.

    Returns:
        `x` itself, or `x.astype(dtype)`.

    Example:
        >>> cast(jnp.ones(2, "int8"), "float32").dtype.name
        'float32'
    """
    return x if x.dtype == dtype else x.astype(dtype)


def to_array(x, dtype=None):
    """Returns `x` as a JAX array (lists, NumPy arrays and Python numbers are converted).

    Args:
        x: An array-like value.
        dtype: An optional dtype to cast to.

    Returns:
        A `jax.Array` (the same object when it already is one of `dtype`).

    Example:
        >>> to_array([1, 2]).dtype.name
        'int32'
    """
    if isinstance(x, _ARRAY) and (dtype is None or x.dtype == dtype):
        return x
    return jnp.asarray(x, dtype=dtype)


def to_array_like(x):
    """Returns `x` with lists and tuples made arrays; arrays and numbers pass through untouched.

    `jax.numpy` functions accept arrays and numbers (and keep Python numbers weakly typed, as
    Keras does) but not lists: this is the cheapest conversion for an op's array arguments.

    Args:
        x: An array-like value.

    Returns:
        `x` itself, or `jnp.asarray(x)` for a list or tuple.

    Example:
        >>> to_array_like([1.0, 2.0]).shape, to_array_like(3.0)
        ((2,), 3.0)
    """
    if type(x) is list or type(x) is tuple:
        return jnp.asarray(x)
    return x


def to_float(x):
    """Returns `x` as an array, cast to `floatx()` when it holds integers or booleans.

    Keras's rule for float-valued unary ops (`exp`, `sin`, `sqrt`...): a float input keeps its
    dtype, an integer or boolean one becomes `floatx()`.

    Args:
        x: An array-like value.

    Returns:
        A floating-point (or complex) `jax.Array`.

    Example:
        >>> to_float([1, 2]).dtype.name
        'float32'
    """
    x = to_array(x)
    if x.dtype in _INEXACT:
        return x
    return x.astype(config.floatx())
