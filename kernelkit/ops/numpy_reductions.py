"""Numpy-family reductions over axes: `sum`, `mean`, `max`, `argmax`, `quantile`, `nan*`, ...

`axis` is `None` (every axis), an int (negative counts from the end) or a tuple of ints;
`keepdims=True` keeps each reduced axis with length 1.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kernelkit import config
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import result_type
from kernelkit.ops.numpy_conversion import cast, to_array

__all__ = ["all", "amax", "amin", "any", "argmax", "argmin", "average", "count_nonzero", "cumprod", "cumsum", "max", "mean", "median", "min", "nanargmax", "nanargmin", "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin", "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "percentile", "prod", "ptp", "quantile", "std", "sum", "var"]


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _float_if_int64(x):
    return x.astype(config.floatx()) if x.dtype == jnp.int64 else x


def _keep_all_dims(result, ndim):
    """`keepdims=True, axis=None` gives back every axis (JAX's quantiles drop some)."""
    while result.ndim < ndim:
        result = jnp.expand_dims(result, -1)
    return result


@functools.lru_cache(maxsize=64)
@functools.lru_cache(maxsize=256)  # pure in (dtype, floatx): no promotion work per call
def _mean_dtypes(dtype, floatx):
    """(compute, result) dtypes of a mean: integers and booleans give `float32`."""
    compute = jnp.dtype(result_type(dtype, "float32"))
    return compute, (compute if dtype.kind in "iub" else dtype)


_INT32 = jnp.dtype("int32")
_FLOATS = frozenset(jnp.dtype(d) for d in ("bfloat16", "float16", "float32", "float64"))


def _separate_negative_zero(x):
    """`-0.0` a hair below `0.0`, so that `argmax`/`argmin` order them as Keras does on CPU."""
    if x.dtype not in _FLOATS or x.ndim == 0 or jax.default_backend() != "cpu":
        return x
    return _nudge_negative_zero(x)


@jax.jit
def _nudge_negative_zero(x):
    x = x.astype(result_type(x.dtype, "float32"))
    return jnp.where((x == 0.0) & jnp.signbit(x), -jnp.finfo(x.dtype).tiny, x)


@keras_op
def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Sum of the elements over `axis`.

    Example:
        >>> sum(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [4.0, 6.0]
    """
    return jnp.sum(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of the elements over `axis`.

    Example:
        >>> prod(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=-1).tolist()
        [2.0, 12.0]
    """
    return jnp.prod(to_array(x), axis=_axis(axis), keepdims=keepdims, dtype=dtype)


@keras_op
def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis` (integers and booleans give `float32`).

    Example:
        >>> mean(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=-1).tolist()
        [1.5, 3.5]
    """
    x = to_array(x)
    compute, result = _mean_dtypes(x.dtype, config.floatx())
    if compute is x.dtype or compute == x.dtype:  # float32: no dtype argument, JAX's fast path
        return jnp.mean(x, axis=_axis(axis), keepdims=keepdims)
    return cast(jnp.mean(x, axis=_axis(axis), keepdims=keepdims, dtype=compute), result)


@keras_op
def var(x, axis=None, keepdims=False):
    """Variance over `axis` (integers give `floatx()`).

    Example:
        >>> var(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [1.0, 1.0]
    """
    x = to_array(x)
    compute = result_type(x.dtype, "float32")
    out = jnp.var(x, axis=_axis(axis), keepdims=keepdims, dtype=compute)
    return cast(out, result_type(x.dtype, float))


@keras_op
def std(x, axis=None, keepdims=False):
    """Standard deviation over `axis`.

    Example:
        >>> std(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [1.0, 1.0]
    """
    return jnp.std(_float_if_int64(to_array(x)), axis=_axis(axis), keepdims=keepdims)


@keras_op
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    """Maximum over `axis` (at least `initial` when given).

    Example:
        >>> float(max(jnp.array([1.0, 5.0, 3.0])))
        5.0
    """
    return jnp.max(to_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


@keras_op
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001 - Keras's name
    """Minimum over `axis` (at most `initial` when given).

    Example:
        >>> float(min(jnp.array([1.0, 5.0, 3.0])))
        1.0
    """
    return jnp.min(to_array(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


@keras_op
def amax(x, axis=None, keepdims=False):
    """Maximum over `axis`; the same as `max`.

    Example:
        >>> amax(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1).tolist()
        [2.0, 4.0]
    """
    return jnp.max(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def amin(x, axis=None, keepdims=False):
    """Minimum over `axis`; the same as `min`.

    Example:
        >>> amin(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1).tolist()
        [1.0, 3.0]
    """
    return jnp.min(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether every element over `axis` is true (nonzero).

    Example:
        >>> all(jnp.array([[True, False], [True, True]]), axis=1).tolist()
        [False, True]
    """
    return jnp.all(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether some element over `axis` is true (nonzero).

    Example:
        >>> any(jnp.array([[True, False], [False, False]]), axis=1).tolist()
        [True, False]
    """
    return jnp.any(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def ptp(x, axis=None, keepdims=False):
    """Range (`max - min`) over `axis`.

    Example:
        >>> ptp(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [2.0, 2.0]
    """
    return jnp.ptp(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum over `axis` (the flattened array when `None`).

    Example:
        >>> argmax(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1).tolist()
        [1, 1]
    """
    return cast(jnp.argmax(_separate_negative_zero(to_array(x)), axis=axis, keepdims=keepdims), _INT32)


@keras_op
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum over `axis` (the flattened array when `None`).

    Example:
        >>> argmin(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [0, 0]
    """
    return cast(jnp.argmin(_separate_negative_zero(to_array(x)), axis=axis, keepdims=keepdims), _INT32)


@keras_op
def count_nonzero(x, axis=None):
    """Number of nonzero elements over `axis`.

    Example:
        >>> int(count_nonzero(jnp.array([0, 1, 2])))
        2
    """
    return cast(jnp.count_nonzero(to_array(x), axis=_axis(axis)), _INT32)


@keras_op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (the flattened array when `None`).

    Example:
        >>> cumsum(jnp.array([1, 2, 3])).tolist()
        [1, 3, 6]
    """
    return jnp.cumsum(to_array(x), axis=axis, dtype=dtype)


@keras_op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (the flattened array when `None`).

    Example:
        >>> cumprod(jnp.array([1, 2, 3])).tolist()
        [1, 2, 6]
    """
    return jnp.cumprod(to_array(x), axis=axis, dtype=dtype)


@keras_op
def median(x, axis=None, keepdims=False):
    """Median over `axis`.

    Example:
        >>> float(median(jnp.array([3.0, 1.0, 2.0])))
        2.0
    """
    x = _float_if_int64(to_array(x))
    out = jnp.median(x, axis=_axis(axis), keepdims=keepdims)
    return _keep_all_dims(out, x.ndim) if keepdims and axis is None else out


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (`q` in `[0, 1]`) over `axis`.

    Example:
        >>> float(quantile(jnp.array([1.0, 2.0, 3.0]), 0.5))
        2.0
    """
    x, q = _float_if_int64(to_array(x)), to_array(q)
    out = jnp.quantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)
    return _keep_all_dims(out, x.ndim + (q.ndim > 0)) if keepdims and axis is None else out


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (`q` in `[0, 100]`) over `axis`.

    Example:
        >>> float(percentile(jnp.array([1.0, 2.0, 3.0]), 50))
        2.0
    """
    return jnp.percentile(to_array(x), to_array(q), axis=_axis(axis), method=method, keepdims=keepdims)


@keras_op
def average(x, axis=None, weights=None):
    """Weighted average over `axis` (plain mean without `weights`).

    Example:
        >>> float(average(jnp.array([1.0, 3.0]), weights=jnp.array([3.0, 1.0])))
        1.5
    """
    x = to_array(x)
    dtype = result_type(x.dtype, float) if weights is None else result_type(x.dtype, float, to_array(weights).dtype)
    weights = None if weights is None else to_array(weights).astype(dtype)
    return jnp.average(x.astype(dtype), axis=axis, weights=weights)


@keras_op
def nansum(x, axis=None, keepdims=False):
    """Sum over `axis`, treating NaN as 0.

    Example:
        >>> float(nansum(jnp.array([1.0, jnp.nan, 2.0])))
        3.0
    """
    return jnp.nansum(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanprod(x, axis=None, keepdims=False):
    """Product over `axis`, treating NaN as 1.

    Example:
        >>> float(nanprod(jnp.array([2.0, jnp.nan, 3.0])))
        6.0
    """
    return jnp.nanprod(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanmean(x, axis=None, keepdims=False):
    """Mean over `axis`, ignoring NaN.

    Example:
        >>> float(nanmean(jnp.array([1.0, jnp.nan, 3.0])))
        2.0
    """
    return jnp.nanmean(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanvar(x, axis=None, keepdims=False):
    """Variance over `axis`, ignoring NaN.

    Example:
        >>> float(nanvar(jnp.array([1.0, jnp.nan, 3.0])))
        1.0
    """
    return jnp.nanvar(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanstd(x, axis=None, keepdims=False):
    """Standard deviation over `axis`, ignoring NaN.

    Example:
        >>> float(nanstd(jnp.array([1.0, jnp.nan, 3.0])))
        1.0
    """
    return jnp.nanstd(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanmax(x, axis=None, keepdims=False):
    """Maximum over `axis`, ignoring NaN.

    Example:
        >>> float(nanmax(jnp.array([1.0, jnp.nan, 3.0])))
        3.0
    """
    return jnp.nanmax(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanmin(x, axis=None, keepdims=False):
    """Minimum over `axis`, ignoring NaN.

    Example:
        >>> float(nanmin(jnp.array([1.0, jnp.nan, 3.0])))
        1.0
    """
    return jnp.nanmin(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanmedian(x, axis=None, keepdims=False):
    """Median over `axis`, ignoring NaN.

    Example:
        >>> float(nanmedian(jnp.array([1.0, jnp.nan, 3.0])))
        2.0
    """
    return jnp.nanmedian(to_array(x), axis=_axis(axis), keepdims=keepdims)


@keras_op
def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum over `axis`, ignoring NaN.

    Example:
        >>> int(nanargmax(jnp.array([1.0, jnp.nan, 3.0])))
        2
    """
    return cast(jnp.nanargmax(to_array(x), axis=axis, keepdims=keepdims), _INT32)


@keras_op
def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum over `axis`, ignoring NaN.

    Example:
        >>> int(nanargmin(jnp.array([jnp.nan, 1.0, 3.0])))
        1
    """
    return cast(jnp.nanargmin(to_array(x), axis=axis, keepdims=keepdims), _INT32)


@keras_op
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis`, treating NaN as 0.

    Example:
        >>> nancumsum(jnp.array([1.0, jnp.nan, 2.0])).tolist()
        [1.0, 1.0, 3.0]
    """
    return jnp.nancumsum(to_array(x), axis=axis, dtype=dtype)


@keras_op
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`, treating NaN as 1.

    Example:
        >>> nancumprod(jnp.array([2.0, jnp.nan, 3.0])).tolist()
        [2.0, 2.0, 6.0]
    """
    return jnp.nancumprod(to_array(x), axis=axis, dtype=dtype)


@keras_op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles over `axis`, ignoring NaN.

    Example:
        >>> float(nanquantile(jnp.array([1.0, jnp.nan, 3.0]), 0.5))
        2.0
    """
    return jnp.nanquantile(to_array(x), to_array(q), axis=_axis(axis), method=method, keepdims=keepdims)


@keras_op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles over `axis`, ignoring NaN.

    Example:
        >>> float(nanpercentile(jnp.array([1.0, jnp.nan, 3.0]), 50))
        2.0
    """
    return jnp.nanpercentile(to_array(x), to_array(q), axis=_axis(axis), method=method, keepdims=keepdims)

