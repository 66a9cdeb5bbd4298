"""Numpy-family comparisons, logic and bitwise ops of two arrays: `equal`, `less`, `bitwise_and`...

Both arguments broadcast; comparisons and logic give booleans, bitwise ops keep Keras's
promoted integer dtype.
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array_like

__all__ = ["allclose", "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift",
           "bitwise_xor", "equal", "greater", "greater_equal", "isclose", "left_shift", "less",
           "less_equal", "logical_and", "logical_or", "logical_xor", "not_equal", "right_shift"]


@keras_op
def equal(x1, x2):
    """Element-wise `x1 == x2`.

    Example:
        >>> equal(jnp.array([1, 2]), 2).tolist()
        [False, True]
    """
    return jnp.equal(to_array_like(x1), to_array_like(x2))


@keras_op
def not_equal(x1, x2):
    """Element-wise `x1 != x2`.

    Example:
        >>> not_equal(jnp.array([1, 2]), 2).tolist()
        [True, False]
    """
    return jnp.not_equal(to_array_like(x1), to_array_like(x2))


@keras_op
def greater(x1, x2):
    """Element-wise `x1 > x2`.

    Example:
        >>> greater(jnp.array([1, 3]), 2).tolist()
        [False, True]
    """
    return jnp.greater(to_array_like(x1), to_array_like(x2))


@keras_op
def greater_equal(x1, x2):
    """Element-wise `x1 >= x2`.

    Example:
        >>> greater_equal(jnp.array([1, 2]), 2).tolist()
        [False, True]
    """
    return jnp.greater_equal(to_array_like(x1), to_array_like(x2))


@keras_op
def less(x1, x2):
    """Element-wise `x1 < x2`.

    Example:
        >>> less(jnp.array([1, 3]), 2).tolist()
        [True, False]
    """
    return jnp.less(to_array_like(x1), to_array_like(x2))


@keras_op
def less_equal(x1, x2):
    """Element-wise `x1 <= x2`.

    Example:
        >>> less_equal(jnp.array([2, 3]), 2).tolist()
        [True, False]
    """
    return jnp.less_equal(to_array_like(x1), to_array_like(x2))


@keras_op
def logical_and(x1, x2):
    """Element-wise logical AND (nonzero is true).

    Example:
        >>> logical_and(jnp.array([True, True]), jnp.array([True, False])).tolist()
        [True, False]
    """
    return jnp.logical_and(to_array_like(x1), to_array_like(x2))


@keras_op
def logical_or(x1, x2):
    """Element-wise logical OR (nonzero is true).

    Example:
        >>> logical_or(jnp.array([False, False]), jnp.array([True, False])).tolist()
        [True, False]
    """
    return jnp.logical_or(to_array_like(x1), to_array_like(x2))


@keras_op
def logical_xor(x1, x2):
    """Element-wise logical XOR (nonzero is true).

    Example:
        >>> logical_xor(jnp.array([True, True]), jnp.array([True, False])).tolist()
        [False, True]
    """
    return jnp.logical_xor(to_array_like(x1), to_array_like(x2))


@keras_op
def bitwise_and(x, y):
    """Element-wise bitwise AND of integers or booleans.

    Example:
        >>> bitwise_and(jnp.array([12]), jnp.array([10])).tolist()
        [8]
    """
    return jnp.bitwise_and(to_array_like(x), to_array_like(y))


@keras_op
def bitwise_or(x, y):
    """Element-wise bitwise OR of integers or booleans.

    Example:
        >>> bitwise_or(jnp.array([12]), jnp.array([10])).tolist()
        [14]
    """
    return jnp.bitwise_or(to_array_like(x), to_array_like(y))


@keras_op
def bitwise_xor(x, y):
    """Element-wise bitwise XOR of integers or booleans.

    Example:
        >>> bitwise_xor(jnp.array([12]), jnp.array([10])).tolist()
        [6]
    """
    return jnp.bitwise_xor(to_array_like(x), to_array_like(y))


@keras_op
def bitwise_left_shift(x, y):
    """Element-wise `x << y` of integers.

    Example:
        >>> bitwise_left_shift(jnp.array([1, 3]), 2).tolist()
        [4, 12]
    """
    return jnp.left_shift(to_array_like(x), to_array_like(y))


@keras_op
def left_shift(x, y):
    """Element-wise `x << y`; the same as `bitwise_left_shift`.

    Example:
        >>> left_shift(jnp.array([1]), 3).tolist()
        [8]
    """
    return jnp.left_shift(to_array_like(x), to_array_like(y))


@keras_op
def bitwise_right_shift(x, y):
    """Element-wise `x >> y` of integers.

    Example:
        >>> bitwise_right_shift(jnp.array([8, 12]), 2).tolist()
        [2, 3]
    """
    return jnp.right_shift(to_array_like(x), to_array_like(y))


@keras_op
def right_shift(x, y):
    """Element-wise `x >> y`; the same as `bitwise_right_shift`.

    Example:
        >>> right_shift(jnp.array([8]), 3).tolist()
        [1]
    """
    return jnp.right_shift(to_array_like(x), to_array_like(y))


@keras_op
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise `|x1 - x2| <= atol + rtol * |x2|`.

    Example:
        >>> isclose(jnp.array([1.0, 2.0]), jnp.array([1.0, 2.1])).tolist()
        [True, False]
    """
    return jnp.isclose(to_array_like(x1), to_array_like(x2), rtol, atol, equal_nan)


@keras_op
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether `isclose` holds for every element (a boolean scalar array).

    Example:
        >>> bool(allclose(jnp.array([1.0, 2.0]), jnp.array([1.0, 2.0])))
        True
    """
    return jnp.allclose(to_array_like(x1), to_array_like(x2), rtol, atol, equal_nan)
