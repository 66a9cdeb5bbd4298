"""Numpy-family products and contractions: `matmul`, `dot`, `einsum`, `tensordot`, `trace`, ...

`int8 x int8` products accumulate in `int32` (as Keras asks XLA to), so they do not overflow.
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array

__all__ = ["corrcoef", "correlate", "cross", "diff", "dot", "einsum", "inner", "kron", "matmul", "outer", "slogdet", "tensordot", "trace", "trapezoid", "vdot"]

_INT8 = jnp.dtype("int8")


@keras_op
def matmul(x1, x2):
    """Matrix product of the last two axes, broadcasting the batch axes.

    Example:
        >>> matmul(jnp.ones((2, 3)), jnp.ones((3, 4))).shape
        (2, 4)
    """
    x1, x2 = to_array(x1), to_array(x2)
    if x1.dtype == _INT8 and x2.dtype == _INT8:
        return jnp.matmul(x1, x2, preferred_element_type="int32")
    return jnp.matmul(x1, x2)


@keras_op
def dot(x1, x2):
    """NumPy's `dot`: inner product of vectors, matrix product, or sum over the last/second-to-last axes.

    Example:
        >>> dot(jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0])).tolist()
        11.0
    """
    return jnp.dot(to_array(x1), to_array(x2))


@keras_op
def vdot(x1, x2):
    """Dot product of the flattened arrays (conjugating `x1`).

    Example:
        >>> vdot(jnp.array([[1, 2]]), jnp.array([[3, 4]])).tolist()
        11
    """
    return jnp.vdot(to_array(x1), to_array(x2))


@keras_op
def inner(x1, x2):
    """Inner product over the last axes of both arrays.

    Example:
        >>> inner(jnp.array([1, 2]), jnp.array([3, 4])).tolist()
        11
    """
    return jnp.inner(to_array(x1), to_array(x2))


@keras_op
def outer(x1, x2):
    """Outer product of the flattened arrays.

    Example:
        >>> outer(jnp.array([1, 2]), jnp.array([1, 10])).tolist()
        [[1, 10], [2, 20]]
    """
    return jnp.outer(to_array(x1), to_array(x2))


@keras_op
def tensordot(x1, x2, axes=2):
    """Sum of products over `axes` (an int: the last/first that many axes; or two lists).

    Example:
        >>> tensordot(jnp.ones((2, 3)), jnp.ones((3, 4)), axes=1).shape
        (2, 4)
    """
    return jnp.tensordot(to_array(x1), to_array(x2), axes=axes)


@keras_op
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` as written by `subscripts`.

    Example:
        >>> einsum("ij,jk->ik", jnp.ones((2, 3)), jnp.ones((3, 4))).shape
        (2, 4)
    """
    operands = [to_array(x) for x in operands]
    if all(x.dtype == _INT8 for x in operands):
        kwargs["preferred_element_type"] = "int32"
    return jnp.einsum(subscripts, *operands, **kwargs)


@keras_op
def kron(x1, x2):
    """Kronecker product.

    Example:
        >>> kron(jnp.array([1, 2]), jnp.array([1, 1])).tolist()
        [1, 1, 2, 2]
    """
    return jnp.kron(to_array(x1), to_array(x2))


@keras_op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 2- or 3-element vectors.

    Example:
        >>> cross(jnp.array([1, 0, 0]), jnp.array([0, 1, 0])).tolist()
        [0, 0, 1]
    """
    return jnp.cross(to_array(x1), to_array(x2), axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


@keras_op
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal of the `(axis1, axis2)` planes.

    Example:
        >>> trace(jnp.array([[1, 2], [3, 4]])).tolist()
        5
    """
    return jnp.trace(to_array(x), offset=offset, axis1=axis1, axis2=axis2)


@keras_op
def slogdet(x):
    """Sign and natural log of the absolute determinant, as a tuple.

    Example:
        >>> [v.tolist() for v in slogdet(jnp.eye(2) * 2.0)]
        [1.0, 1.3862943649291992]
    """
    return tuple(jnp.linalg.slogdet(to_array(x)))


@keras_op
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1D arrays (`mode` `valid`, `same` or `full`).

    Example:
        >>> correlate(jnp.array([1.0, 2.0, 3.0]), jnp.array([0.0, 1.0])).tolist()
        [2.0, 3.0]
    """
    return jnp.correlate(to_array(x1), to_array(x2), mode)


@keras_op
def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x`.

    Example:
        >>> corrcoef(jnp.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])).round(3).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    return jnp.corrcoef(to_array(x))


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule (at `x`, or spacing `dx`).

    Example:
        >>> float(trapezoid(jnp.array([1.0, 2.0, 3.0])))
        4.0
    """
    y = to_array(y)
    x = None if x is None else to_array(x)
    return jnp.trapezoid(y, x, dx=to_array(dx), axis=axis)


@keras_op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along `axis`.

    Example:
        >>> diff(jnp.array([1, 4, 9])).tolist()
        [3, 5]
    """
    return jnp.diff(to_array(a), n=n, axis=axis)

