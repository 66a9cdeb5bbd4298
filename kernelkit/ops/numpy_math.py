"""Numpy-family float functions of one array: `exp`, `log`, `sin`, `sqrt`, `arctanh`, ...

Keras's rule: a float input keeps its dtype; an integer or boolean input becomes `floatx()`.
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array, to_float

__all__ = ["angle", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cbrt", "ceil", "cos", "cosh", "deg2rad", "exp", "exp2", "expm1", "floor", "i0", "log", "log10", "log1p", "log2", "rad2deg", "reciprocal", "sin", "sinc", "sinh", "sqrt", "tan", "tanh"]


@keras_op
def exp(x):
    """Element-wise `e**x`.

    Example:
        >>> exp(jnp.array([0.0, 1.0])).tolist()
        [1.0, 2.7182817459106445]
    """
    return jnp.exp(to_float(x))


@keras_op
def exp2(x):
    """Element-wise `2**x`.

    Example:
        >>> exp2(jnp.array([0.0, 3.0])).tolist()
        [1.0, 8.0]
    """
    return jnp.exp2(to_float(x))


@keras_op
def expm1(x):
    """Element-wise `exp(x) - 1`, accurate near zero.

    Example:
        >>> expm1(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.expm1(to_float(x))


@keras_op
def log(x):
    """Element-wise natural logarithm.

    Example:
        >>> log(jnp.array([1.0])).tolist()
        [0.0]
    """
    return jnp.log(to_float(x))


@keras_op
def log10(x):
    """Element-wise base-10 logarithm.

    Example:
        >>> log10(jnp.array([1.0, 100.0])).tolist()
        [0.0, 2.0]
    """
    return jnp.log10(to_float(x))


@keras_op
def log1p(x):
    """Element-wise `log(1 + x)`, accurate near zero.

    Example:
        >>> log1p(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.log1p(to_float(x))


@keras_op
def log2(x):
    """Element-wise base-2 logarithm.

    Example:
        >>> log2(jnp.array([1.0, 8.0])).tolist()
        [0.0, 3.0]
    """
    return jnp.log2(to_float(x))


@keras_op
def sqrt(x):
    """Element-wise non-negative square root.

    Example:
        >>> sqrt(jnp.array([4.0, 9.0])).tolist()
        [2.0, 3.0]
    """
    return jnp.sqrt(to_float(x))


@keras_op
def cbrt(x):
    """Element-wise cube root.

    Example:
        >>> cbrt(jnp.array([8.0, -27.0])).tolist()
        [2.0, -3.0]
    """
    return jnp.cbrt(to_float(x))


@keras_op
def reciprocal(x):
    """Element-wise `1 / x`.

    Example:
        >>> reciprocal(jnp.array([2.0, 4.0])).tolist()
        [0.5, 0.25]
    """
    return jnp.reciprocal(to_float(x))


@keras_op
def sin(x):
    """Element-wise sine.

    Example:
        >>> sin(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.sin(to_float(x))


@keras_op
def cos(x):
    """Element-wise cosine.

    Example:
        >>> cos(jnp.array([0.0])).tolist()
        [1.0]
    """
    return jnp.cos(to_float(x))


@keras_op
def tan(x):
    """Element-wise tangent.

    Example:
        >>> tan(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.tan(to_float(x))


@keras_op
def sinh(x):
    """Element-wise hyperbolic sine.

    Example:
        >>> sinh(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.sinh(to_float(x))


@keras_op
def cosh(x):
    """Element-wise hyperbolic cosine.

    Example:
        >>> cosh(jnp.array([0.0])).tolist()
        [1.0]
    """
    return jnp.cosh(to_float(x))


@keras_op
def tanh(x):
    """Element-wise hyperbolic tangent.

    Example:
        >>> tanh(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.tanh(to_float(x))


@keras_op
def arcsin(x):
    """Element-wise inverse sine.

    Example:
        >>> arcsin(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.arcsin(to_float(x))


@keras_op
def arccos(x):
    """Element-wise inverse cosine.

    Example:
        >>> arccos(jnp.array([1.0])).tolist()
        [0.0]
    """
    return jnp.arccos(to_float(x))


@keras_op
def arctan(x):
    """Element-wise inverse tangent.

    Example:
        >>> arctan(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.arctan(to_float(x))


@keras_op
def arcsinh(x):
    """Element-wise inverse hyperbolic sine.

    Example:
        >>> arcsinh(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.arcsinh(to_float(x))


@keras_op
def arccosh(x):
    """Element-wise inverse hyperbolic cosine.

    Example:
        >>> arccosh(jnp.array([1.0])).tolist()
        [0.0]
    """
    return jnp.arccosh(to_float(x))


@keras_op
def arctanh(x):
    """Element-wise inverse hyperbolic tangent.

    Example:
        >>> arctanh(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.arctanh(to_float(x))


@keras_op
def sinc(x):
    """Element-wise normalized sinc, `sin(pi x) / (pi x)`.

    Example:
        >>> sinc(jnp.array([0.0])).tolist()
        [1.0]
    """
    return jnp.sinc(to_float(x))


@keras_op
def deg2rad(x):
    """Converts angles from degrees to radians.

    Example:
        >>> deg2rad(jnp.array([180.0])).tolist()
        [3.1415927410125732]
    """
    return jnp.deg2rad(to_float(x))


@keras_op
def rad2deg(x):
    """Converts angles from radians to degrees.

    Example:
        >>> rad2deg(jnp.array([0.0])).tolist()
        [0.0]
    """
    return jnp.rad2deg(to_float(x))


@keras_op
def angle(x):
    """Element-wise argument (phase angle) of a complex number.

    Example:
        >>> angle(jnp.array([1.0, -1.0])).tolist()
        [0.0, 3.1415927410125732]
    """
    return jnp.angle(to_float(x))


@keras_op
def i0(x):
    """Element-wise modified Bessel function of the first kind, order 0.

    Example:
        >>> i0(jnp.array([0.0])).round(3).tolist()
        [1.0]
    """
    x = to_array(x)
    if x.dtype.name not in ("bfloat16", "float16", "float64"):
        x = x.astype(config.floatx())
    return jnp.i0(x)


@keras_op
def ceil(x):
    """Element-wise ceiling (integers become `floatx()`, as in Keras).

    Example:
        >>> ceil(jnp.array([1.2, -1.5])).tolist()
        [2.0, -1.0]
    """
    return jnp.ceil(to_float(x))


@keras_op
def floor(x):
    """Element-wise floor (integers become `floatx()`, as in Keras).

    Example:
        >>> floor(jnp.array([1.7, -1.5])).tolist()
        [1.0, -2.0]
    """
    return jnp.floor(to_float(x))

