"""Numpy-family element-wise arithmetic of two arrays: `add`, `divide`, `power`, `arctan2`, ...

Both arguments broadcast; the result dtype follows Keras's promotion (`ops.dtypes`), where a
Python number is weak (`int8 array + 1 -> int8`, `int8 array + 1.0 -> float32`).
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import INT_TYPES, result_type
from kernelkit.ops.numpy_conversion import to_array, to_array_like

__all__ = ["add", "arctan2", "divide", "divide_no_nan", "floor_divide", "fmax", "fmin", "fmod",
           "gcd", "heaviside", "hypot", "lcm", "ldexp", "logaddexp", "logaddexp2", "maximum",
           "minimum", "mod", "multiply", "nextafter", "power", "subtract", "true_divide"]


def _to_common_float(x1, x2):
    """Both arguments cast to the float dtype `result_type(x1, x2, float)`."""
    x1, x2 = to_array(x1), to_array(x2)
    dtype = result_type(x1.dtype, x2.dtype, float)
    return jnp.asarray(x1, dtype), jnp.asarray(x2, dtype)


@keras_op
def add(x1, x2):
    """Element-wise `x1 + x2`.

    Example:
        >>> add(jnp.array([1.0, 2.0]), 3.0).tolist()
        [4.0, 5.0]
    """
    return jnp.add(to_array_like(x1), to_array_like(x2))


@keras_op
def subtract(x1, x2):
    """Element-wise `x1 - x2`.

    Example:
        >>> subtract(jnp.array([5.0, 2.0]), 1.0).tolist()
        [4.0, 1.0]
    """
    return jnp.subtract(to_array_like(x1), to_array_like(x2))


@keras_op
def multiply(x1, x2):
    """Element-wise `x1 * x2`.

    Example:
        >>> multiply(jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0])).tolist()
        [3.0, 8.0]
    """
    return jnp.multiply(to_array_like(x1), to_array_like(x2))


@keras_op
def divide(x1, x2):
    """Element-wise true division `x1 / x2` (integers give floats).

    Example:
        >>> divide(jnp.array([1.0, 3.0]), 2.0).tolist()
        [0.5, 1.5]
    """
    return jnp.true_divide(to_array_like(x1), to_array_like(x2))


@keras_op
def true_divide(x1, x2):
    """Element-wise true division; the same as `divide`.

    Example:
        >>> true_divide(jnp.array([1, 3]), 2).tolist()
        [0.5, 1.5]
    """
    return jnp.true_divide(to_array_like(x1), to_array_like(x2))


@keras_op
def divide_no_nan(x1, x2):
    """Element-wise `x1 / x2`, with 0 wherever `x2` is 0.

    Example:
        >>> divide_no_nan(jnp.array([1.0, 2.0]), jnp.array([0.0, 4.0])).tolist()
        [0.0, 0.5]
    """
    x1, x2 = to_array_like(x1), to_array_like(x2)
    zero = jnp.equal(x2, 0)
    return jnp.where(zero, 0, jnp.true_divide(x1, jnp.where(zero, 1, x2)))


@keras_op
def floor_divide(x1, x2):
    """Element-wise `x1 // x2`, rounded toward minus infinity.

    Example:
        >>> floor_divide(jnp.array([7, -7]), 2).tolist()
        [3, -4]
    """
    return jnp.floor_divide(to_array_like(x1), to_array_like(x2))


@keras_op
def mod(x1, x2):
    """Element-wise remainder with the sign of `x2` (Python's `%`).

    Example:
        >>> mod(jnp.array([7, -7]), 3).tolist()
        [1, 2]
    """
    return jnp.mod(to_array_like(x1), to_array_like(x2))


@keras_op
def fmod(x1, x2):
    """Element-wise remainder with the sign of `x1` (C's `fmod`).

    Example:
        >>> fmod(jnp.array([7, -7]), 3).tolist()
        [1, -1]
    """
    return jnp.fmod(to_array_like(x1), to_array_like(x2))


@keras_op
def power(x1, x2):
    """Element-wise `x1 ** x2`.

    Example:
        >>> power(jnp.array([2.0, 3.0]), 2).tolist()
        [4.0, 9.0]
    """
    return jnp.power(to_array_like(x1), to_array_like(x2))


@keras_op
def maximum(x1, x2):
    """Element-wise maximum (NaN propagates).

    Example:
        >>> maximum(jnp.array([1.0, 5.0]), 2.0).tolist()
        [2.0, 5.0]
    """
    return jnp.maximum(to_array_like(x1), to_array_like(x2))


@keras_op
def minimum(x1, x2):
    """Element-wise minimum (NaN propagates).

    Example:
        >>> minimum(jnp.array([1.0, 5.0]), 2.0).tolist()
        [1.0, 2.0]
    """
    return jnp.minimum(to_array_like(x1), to_array_like(x2))


@keras_op
def fmax(x1, x2):
    """Element-wise maximum that ignores NaN.

    Example:
        >>> fmax(jnp.array([jnp.nan, 1.0]), 0.0).tolist()
        [0.0, 1.0]
    """
    return jnp.fmax(to_array_like(x1), to_array_like(x2))


@keras_op
def fmin(x1, x2):
    """Element-wise minimum that ignores NaN.

    Example:
        >>> fmin(jnp.array([jnp.nan, 1.0]), 0.0).tolist()
        [0.0, 0.0]
    """
    return jnp.fmin(to_array_like(x1), to_array_like(x2))


@keras_op
def arctan2(x1, x2):
    """Element-wise `arctan(x1 / x2)` in the right quadrant.

    Example:
        >>> arctan2(jnp.array([0.0]), jnp.array([1.0])).tolist()
        [0.0]
    """
    return jnp.arctan2(*_to_common_float(x1, x2))


@keras_op
def hypot(x1, x2):
    """Element-wise `sqrt(x1**2 + x2**2)`.

    Example:
        >>> hypot(jnp.array([3.0]), jnp.array([4.0])).tolist()
        [5.0]
    """
    return jnp.hypot(to_array_like(x1), to_array_like(x2))


@keras_op
def heaviside(x1, x2):
    """The Heaviside step: 0 below 0, `x2` at 0, 1 above.

    Example:
        >>> heaviside(jnp.array([-1.0, 0.0, 2.0]), 0.5).tolist()
        [0.0, 0.5, 1.0]
    """
    return jnp.heaviside(to_array_like(x1), to_array_like(x2))


@keras_op
def logaddexp(x1, x2):
    """Element-wise `log(exp(x1) + exp(x2))`, computed stably.

    Example:
        >>> logaddexp(jnp.array([0.0]), jnp.array([0.0])).tolist()
        [0.6931471824645996]
    """
    return jnp.logaddexp(*_to_common_float(x1, x2))


@keras_op
def logaddexp2(x1, x2):
    """Element-wise `log2(2**x1 + 2**x2)`, computed stably.

    Example:
        >>> logaddexp2(jnp.array([1.0]), jnp.array([1.0])).tolist()
        [2.0]
    """
    return jnp.logaddexp2(*_to_common_float(x1, x2))


@keras_op
def nextafter(x1, x2):
    """The next representable float after `x1` toward `x2`.

    Example:
        >>> bool(nextafter(jnp.array(1.0), 2.0) > 1.0)
        True
    """
    return jnp.nextafter(to_array_like(x1), to_array_like(x2))


@keras_op
def ldexp(x1, x2):
    """Element-wise `x1 * 2**x2` for an integer exponent `x2`.

    Example:
        >>> ldexp(jnp.array([1.0]), jnp.array([3])).tolist()
        [8.0]
    """
    x1, x2 = to_array_like(x1), to_array(x2)
    if x2.dtype.name not in INT_TYPES:
        raise TypeError(
            "ldexp: the exponent must be an integer array. Expected an integer dtype for x2. "
            f"Received: x2.dtype={x2.dtype.name}. Cast it with `x2.astype('int32')`."
        )
    return jnp.ldexp(x1, x2)


@keras_op
def gcd(x1, x2):
    """Element-wise greatest common divisor of integers.

    Example:
        >>> gcd(jnp.array([12, 18]), 8).tolist()
        [4, 2]
    """
    return jnp.gcd(to_array_like(x1), to_array_like(x2))


@keras_op
def lcm(x1, x2):
    """Element-wise least common multiple of integers.

    Example:
        >>> lcm(jnp.array([4, 6]), 6).tolist()
        [12, 6]
    """
    return jnp.lcm(to_array_like(x1), to_array_like(x2))
