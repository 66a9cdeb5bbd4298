"""Numpy-family ops that create arrays: `zeros`, `arange`, `linspace`, `eye`, windows, ..."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import result_type, standardize_dtype
from kernelkit.ops.numpy_conversion import to_array

__all__ = ["arange", "array", "bartlett", "blackman", "copy", "empty", "empty_like", "eye",
           "full", "full_like", "geomspace", "hamming", "hanning", "identity", "kaiser",
           "linspace", "logspace", "meshgrid", "ones", "ones_like", "tri", "vander", "view",
           "zeros", "zeros_like"]


def _dtype(dtype):
    return standardize_dtype(dtype or config.floatx())


@keras_op
def array(x, dtype=None):
    """Creates an array from `x` (a list, NumPy array, number or array).

    Example:
        >>> array([[1, 2], [3, 4]], dtype="float32").tolist()
        [[1.0, 2.0], [3.0, 4.0]]
    """
    return jnp.array(x, dtype=None if dtype is None else standardize_dtype(dtype))


@keras_op
def copy(x):
    """Returns a copy of `x`.

    Example:
        >>> copy(jnp.array([1, 2])).tolist()
        [1, 2]
    """
    return jnp.copy(to_array(x))


@keras_op
def view(x, dtype=None):
    """Reinterprets the bytes of `x` as `dtype` (the same memory, another dtype).

    Example:
        >>> view(jnp.array([1.0], dtype="float32"), "int32").tolist()
        [1065353216]
    """
    x = to_array(x)
    return x.view(dtype=None if dtype is None else standardize_dtype(dtype))


@keras_op
def zeros(shape, dtype=None):
    """Returns an array of `shape` filled with zeros (`floatx()` unless `dtype`).

    Example:
        >>> zeros((2, 3)).shape
        (2, 3)
    """
    return jnp.zeros(shape, dtype=_dtype(dtype))


@keras_op
def ones(shape, dtype=None):
    """Returns an array of `shape` filled with ones (`floatx()` unless `dtype`).

    Example:
        >>> ones(2).tolist()
        [1.0, 1.0]
    """
    return jnp.ones(shape, dtype=_dtype(dtype))


@keras_op
def empty(shape, dtype=None):
    """Returns an array of `shape` (uninitialized in NumPy; zeros in JAX).

    Example:
        >>> empty((2,)).shape
        (2,)
    """
    return jnp.empty(shape, dtype=_dtype(dtype))


@keras_op
def full(shape, fill_value, dtype=None):
    """Returns an array of `shape` filled with `fill_value` (`floatx()` unless `dtype`).

    Example:
        >>> full((2,), 7).tolist()
        [7.0, 7.0]
    """
    return jnp.full(shape, fill_value, dtype=_dtype(dtype))


def _like_dtype(dtype):
    return None if dtype is None else standardize_dtype(dtype)


@keras_op
def zeros_like(x, dtype=None):
    """Returns zeros with the shape (and dtype, unless given) of `x`.

    Example:
        >>> zeros_like(jnp.array([1, 2])).tolist()
        [0, 0]
    """
    return jnp.zeros_like(to_array(x), dtype=_like_dtype(dtype))


@keras_op
def ones_like(x, dtype=None):
    """Returns ones with the shape (and dtype, unless given) of `x`.

    Example:
        >>> ones_like(jnp.array([1.5, 2.5])).tolist()
        [1.0, 1.0]
    """
    return jnp.ones_like(to_array(x), dtype=_like_dtype(dtype))


@keras_op
def empty_like(x, dtype=None):
    """Returns an array with the shape (and dtype, unless given) of `x`.

    Example:
        >>> empty_like(jnp.zeros((2, 3))).shape
        (2, 3)
    """
    return jnp.empty_like(to_array(x), dtype=_like_dtype(dtype))


@keras_op
def full_like(x, fill_value, dtype=None):
    """Returns `fill_value` with the shape (and dtype, unless given) of `x`.

    Example:
        >>> full_like(jnp.zeros(2), 3.0).tolist()
        [3.0, 3.0]
    """
    return jnp.full_like(to_array(x), fill_value, dtype=_like_dtype(dtype))


def _scalar_dtype(value):
    if hasattr(value, "dtype"):
        return value.dtype
    return type(value)


@keras_op
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`; the dtype follows the arguments unless given.

    Example:
        >>> arange(1, 7, 2).tolist()
        [1, 3, 5]
    """
    if dtype is None:
        dtype = result_type(*(_scalar_dtype(v) for v in (start, stop, step) if v is not None))
    return jnp.arange(start, stop, step=step, dtype=standardize_dtype(dtype))


@keras_op
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (with the step if `retstep`).

    Example:
        >>> linspace(0.0, 1.0, 3).tolist()
        [0.0, 0.5, 1.0]
    """
    return jnp.linspace(start, stop, num=num, endpoint=endpoint, retstep=retstep,
                        dtype=_like_dtype(dtype), axis=axis)


@keras_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` values spaced evenly on a log scale, from `base**start` to `base**stop`.

    Example:
        >>> logspace(0.0, 2.0, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    return jnp.logspace(start, stop, num=num, endpoint=endpoint, base=base,
                        dtype=_like_dtype(dtype), axis=axis)


@keras_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values spaced evenly on a log scale between the end points themselves.

    Example:
        >>> [round(v) for v in geomspace(1.0, 100.0, 3).tolist()]
        [1, 10, 100]
    """
    return jnp.geomspace(start, stop, num=num, endpoint=endpoint, dtype=_like_dtype(dtype),
                         axis=axis)


@keras_op
def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's names
    """A 2D array with ones on the `k`-th diagonal and zeros elsewhere.

    Example:
        >>> eye(2).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    for arg, value in (("N", N), ("M", M)):
        if isinstance(value, float) or "float" in str(getattr(value, "dtype", "")):
            raise TypeError(
                f"eye: `{arg}` is a float. Expected an int (or an integer array)"
                f"{' or None' if arg == 'M' else ''}. Received: {arg}={value!r}. "
                f"Pass int({arg})."
            )
    return jnp.eye(N, M=M, k=k, dtype=_dtype(dtype))


@keras_op
def identity(n, dtype=None):
    """The `n x n` identity matrix.

    Example:
        >>> identity(2, dtype="int32").tolist()
        [[1, 0], [0, 1]]
    """
    return jnp.identity(n, dtype=_dtype(dtype))


@keras_op
def tri(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's names
    """An array with ones at and below the `k`-th diagonal, zeros above.

    Example:
        >>> tri(2).tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    return jnp.tri(N, M=M, k=k, dtype=_dtype(dtype))


@keras_op
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1D coordinate vectors (`indexing` `"xy"` or `"ij"`).

    Example:
        >>> [g.shape for g in meshgrid(jnp.arange(3), jnp.arange(2))]
        [(2, 3), (2, 3)]
    """
    return jnp.meshgrid(*(to_array(v) for v in x), indexing=indexing)


@keras_op
def vander(x, N=None, increasing=False):  # noqa: N803 - NumPy's names
    """The Vandermonde matrix of the 1D `x`: columns are powers of `x`.

    Example:
        >>> vander(jnp.array([1, 2, 3]), 3).tolist()
        [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = to_array(x)
    if x.ndim != 1:
        raise ValueError(
            "vander: the input is not 1D. Expected a 1D array. "
            f"Received: x.shape={x.shape}. Flatten it with `ravel` first."
        )
    if N is not None and (not isinstance(N, int) or N < 0):
        error = TypeError if not isinstance(N, int) else ValueError
        raise error(
            f"vander: `N` is not a non-negative int. Expected an int >= 0 or None. "
            f"Received: N={N!r}. Pass the number of columns."
        )
    if not isinstance(increasing, bool):
        raise TypeError(
            "vander: `increasing` is not a bool. Expected True or False. "
            f"Received: increasing={increasing!r}."
        )
    return jnp.vander(x, N=N, increasing=increasing)


def _window(fn, x):
    return fn(x).astype(config.floatx())


@keras_op
def bartlett(x):
    """The Bartlett (triangular) window of `x` points.

    Example:
        >>> bartlett(3).tolist()
        [0.0, 1.0, 0.0]
    """
    return _window(jnp.bartlett, x)


@keras_op
def blackman(x):
    """The Blackman window of `x` points.

    Example:
        >>> blackman(3).shape
        (3,)
    """
    return _window(jnp.blackman, x)


@keras_op
def hamming(x):
    """The Hamming window of `x` points.

    Example:
        >>> [round(v, 2) for v in hamming(3).tolist()]
        [0.08, 1.0, 0.08]
    """
    return _window(jnp.hamming, x)


@keras_op
def hanning(x):
    """The Hann window of `x` points.

    Example:
        >>> hanning(3).tolist()
        [0.0, 1.0, 0.0]
    """
    return _window(jnp.hanning, x)


@keras_op
def kaiser(x, beta):
    """The Kaiser window of `x` points and shape parameter `beta`.

    Example:
        >>> kaiser(3, 0.0).tolist()
        [1.0, 1.0, 1.0]
    """
    return jnp.kaiser(x, beta).astype(config.floatx())

