"""Numpy-family element-wise ops that keep the input's kind: `abs`, `sign`, `round`, `isnan`, ..."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array

__all__ = ["abs", "absolute", "bitwise_invert", "bitwise_not", "clip", "conj", "conjugate", "fabs", "imag", "isfinite", "isinf", "isnan", "isneginf", "isposinf", "isreal", "logical_not", "nan_to_num", "negative", "real", "round", "sign", "signbit", "square", "trunc"]

_INT_KINDS = ("i", "u")


@keras_op
def abs(x):  # noqa: A001 - Keras's name
    """Element-wise absolute value (the dtype is kept).

    Example:
        >>> abs(jnp.array([-1.0, 2.0])).tolist()
        [1.0, 2.0]
    """
    return jnp.absolute(to_array(x))


@keras_op
def absolute(x):
    """Element-wise absolute value; the same as `abs`.

    Example:
        >>> absolute(jnp.array([-3, 2])).tolist()
        [3, 2]
    """
    return jnp.absolute(to_array(x))


@keras_op
def fabs(x):
    """Element-wise absolute value as a float.

    Example:
        >>> fabs(jnp.array([-1.5])).tolist()
        [1.5]
    """
    x = to_array(x)
    if x.dtype.kind == "c":
        raise TypeError(
            "fabs: complex inputs have no float absolute value. Expected a real dtype. "
            f"Received: x.dtype={x.dtype.name}. Use `abs` for complex magnitudes."
        )
    return jnp.fabs(x)


@keras_op
def negative(x):
    """Element-wise `-x`.

    Example:
        >>> negative(jnp.array([1.0, -2.0])).tolist()
        [-1.0, 2.0]
    """
    return jnp.negative(to_array(x))


@keras_op
def square(x):
    """Element-wise `x * x` (booleans become `int32`, as in Keras).

    Example:
        >>> square(jnp.array([2.0, -3.0])).tolist()
        [4.0, 9.0]
    """
    x = to_array(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.square(x)


@keras_op
def sign(x):
    """Element-wise sign: -1, 0 or 1.

    Example:
        >>> sign(jnp.array([-2.0, 0.0, 3.0])).tolist()
        [-1.0, 0.0, 1.0]
    """
    return jnp.sign(to_array(x))


@keras_op
def signbit(x):
    """Element-wise: whether the sign bit is set (true for `-0.0`).

    Example:
        >>> signbit(jnp.array([-1.0, 0.0])).tolist()
        [True, False]
    """
    return jnp.signbit(to_array(x))


@keras_op
def round(x, decimals=0):  # noqa: A001 - Keras's name
    """Rounds to `decimals` decimals, half to even (integers too, for `decimals < 0`).

    Example:
        >>> round(jnp.array([0.5, 1.5, 2.25]), 1).tolist()
        [0.5, 1.5, 2.200000047683716]
    """
    x = to_array(x)
    if x.dtype.kind in _INT_KINDS and decimals < 0:
        factor = jnp.asarray(10.0**decimals, dtype=config.floatx())
        rounded = jnp.round(x.astype(config.floatx()) * factor) / factor
        return rounded.astype(x.dtype)
    return jnp.round(x, decimals=decimals)


@keras_op
def trunc(x):
    """Element-wise truncation toward zero (integers are returned as they are).

    Example:
        >>> trunc(jnp.array([-1.7, 1.7])).tolist()
        [-1.0, 1.0]
    """
    x = to_array(x)
    if x.dtype.kind in _INT_KINDS or x.dtype == jnp.bool_:
        return x
    return jnp.trunc(x)


@keras_op
def clip(x, x_min, x_max):
    """Limits the values of `x` to `[x_min, x_max]` (booleans become `int32`).

    Example:
        >>> clip(jnp.array([-2.0, 0.5, 2.0]), -1.0, 1.0).tolist()
        [-1.0, 0.5, 1.0]
    """
    x = to_array(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.clip(x, x_min, x_max)


@keras_op
def conj(x):
    """Element-wise complex conjugate; the same as `conjugate`.

    Example:
        >>> conj(jnp.array([1 + 2j])).tolist()
        [(1-2j)]
    """
    return jnp.conjugate(to_array(x))


@keras_op
def conjugate(x):
    """Element-wise complex conjugate.

    Example:
        >>> conjugate(jnp.array([1.0])).tolist()
        [1.0]
    """
    return jnp.conjugate(to_array(x))


@keras_op
def real(x):
    """The real part of each element.

    Example:
        >>> real(jnp.array([1 + 2j])).tolist()
        [1.0]
    """
    return jnp.real(to_array(x))


@keras_op
def imag(x):
    """The imaginary part of each element.

    Example:
        >>> imag(jnp.array([1 + 2j])).tolist()
        [2.0]
    """
    return jnp.imag(to_array(x))


@keras_op
def isfinite(x):
    """Element-wise: neither infinite nor NaN.

    Example:
        >>> isfinite(jnp.array([1.0, jnp.inf, jnp.nan])).tolist()
        [True, False, False]
    """
    return jnp.isfinite(to_array(x))


@keras_op
def isinf(x):
    """Element-wise: positive or negative infinity.

    Example:
        >>> isinf(jnp.array([1.0, -jnp.inf])).tolist()
        [False, True]
    """
    return jnp.isinf(to_array(x))


@keras_op
def isnan(x):
    """Element-wise: NaN.

    Example:
        >>> isnan(jnp.array([1.0, jnp.nan])).tolist()
        [False, True]
    """
    return jnp.isnan(to_array(x))


@keras_op
def isneginf(x):
    """Element-wise: negative infinity.

    Example:
        >>> isneginf(jnp.array([jnp.inf, -jnp.inf])).tolist()
        [False, True]
    """
    return jnp.isneginf(to_array(x))


@keras_op
def isposinf(x):
    """Element-wise: positive infinity.

    Example:
        >>> isposinf(jnp.array([jnp.inf, -jnp.inf])).tolist()
        [True, False]
    """
    return jnp.isposinf(to_array(x))


@keras_op
def isreal(x):
    """Element-wise: the imaginary part is zero.

    Example:
        >>> isreal(jnp.array([1 + 0j, 1j])).tolist()
        [True, False]
    """
    return jnp.isreal(to_array(x))


@keras_op
def logical_not(x):
    """Element-wise logical NOT (the result is boolean).

    Example:
        >>> logical_not(jnp.array([True, False])).tolist()
        [False, True]
    """
    return jnp.logical_not(to_array(x))


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN by `nan` and infinities by `posinf`/`neginf` (the dtype's extremes by default).

    Example:
        >>> nan_to_num(jnp.array([jnp.nan, 1.0])).tolist()
        [0.0, 1.0]
    """
    return jnp.nan_to_num(to_array(x), nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def bitwise_invert(x):
    """Element-wise bitwise NOT of an integer or boolean array.

    Example:
        >>> bitwise_invert(jnp.array([0, 1])).tolist()
        [-1, -2]
    """
    return jnp.invert(to_array(x))


@keras_op
def bitwise_not(x):
    """Element-wise bitwise NOT; the same as `bitwise_invert`.

    Example:
        >>> bitwise_not(jnp.array([True, False])).tolist()
        [False, True]
    """
    return jnp.invert(to_array(x))

