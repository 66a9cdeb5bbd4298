"""Numpy-family sorting, searching, selecting and counting: `sort`, `where`, `unique`, ..."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array, to_array_like

__all__ = ["argpartition", "argsort", "bincount", "digitize", "histogram", "isin", "nonzero", "searchsorted", "select", "sort", "unique", "unravel_index", "vectorize", "where"]


@keras_op
def sort(x, axis=-1):
    """Sorts along `axis` (ascending).

    Example:
        >>> sort(jnp.array([3, 1, 2])).tolist()
        [1, 2, 3]
    """
    return jnp.sort(to_array(x), axis=axis)


@keras_op
def argsort(x, axis=-1):
    """Indices that sort `x` along `axis` (stable).

    Example:
        >>> argsort(jnp.array([3, 1, 2])).tolist()
        [1, 2, 0]
    """
    x = to_array(x)
    return jnp.argsort(x, axis=None if x.ndim == 0 else axis)


@keras_op
def argpartition(x, kth, axis=-1):
    """Indices that put the `kth` element in its sorted place, smaller ones before it.

    Example:
        >>> int(argpartition(jnp.array([3, 1, 2]), 0)[0])
        1
    """
    x = to_array(x)
    if axis is None:
        return jnp.argpartition(jnp.reshape(x, (-1,)), kth, axis=0)
    return jnp.argpartition(x, kth, axis=axis)


@keras_op
def searchsorted(sorted_sequence, values, side="left"):
    """Indices where `values` would be inserted into the 1D `sorted_sequence` to keep it sorted.

    Example:
        >>> searchsorted(jnp.array([1, 3, 5]), jnp.array([2, 5])).tolist()
        [1, 2]
    """
    sorted_sequence = to_array(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError(
            "searchsorted: the sorted sequence is not 1D. Expected a 1D sorted_sequence. "
            f"Received: sorted_sequence.shape={sorted_sequence.shape}. Map it over rows with "
            "`jax.vmap` for N-D sequences."
        )
    return jnp.searchsorted(sorted_sequence, to_array_like(values), side=side)


@keras_op
def digitize(x, bins):
    """Index of the bin of each value (`bins` increasing).

    Example:
        >>> digitize(jnp.array([0.5, 1.5, 2.5]), jnp.array([1.0, 2.0])).tolist()
        [0, 1, 2]
    """
    return jnp.digitize(to_array(x), to_array(bins))


@keras_op(symbolic=False)
def nonzero(x):
    """Indices of the nonzero elements, one array per axis (not under `jit`).

    Example:
        >>> [i.tolist() for i in nonzero(jnp.array([0, 3, 0, 4]))]
        [[1, 3]]
    """
    return jnp.nonzero(to_array(x))


@keras_op(symbolic=False)
def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None, size=None, fill_value=None):
    """The unique elements (with indices, inverse and counts on request; `size` for `jit`).

    Example:
        >>> unique(jnp.array([3, 1, 3, 2])).tolist()
        [1, 2, 3]
    """
    return jnp.unique(to_array(x), return_index=return_index, return_inverse=return_inverse,
                      return_counts=return_counts, axis=axis, equal_nan=False, size=size,
                      sorted=sorted, fill_value=fill_value)


@keras_op
def where(condition, x1=None, x2=None):
    """Elements of `x1` where `condition` holds, else of `x2` (`nonzero(condition)` alone).

    Example:
        >>> where(jnp.array([True, False]), 1.0, 0.0).tolist()
        [1.0, 0.0]
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "where: only one of `x1` and `x2` is given. Expected both (to choose between) or "
            f"neither (to find indices). Received: x1 is None={x1 is None}, x2 is None="
            f"{x2 is None}."
        )
    if x1 is None and x2 is None:
        return jnp.nonzero(to_array(condition))
    return jnp.where(to_array_like(condition), to_array_like(x1), to_array_like(x2))


@keras_op
def select(condlist, choicelist, default=0):
    """The choice of the first true condition, element-wise (`default` where none holds).

    Example:
        >>> select([jnp.array([True, False])], [jnp.array([1, 2])], 9).tolist()
        [1, 9]
    """
    if not isinstance(condlist, list | tuple) or not isinstance(choicelist, list | tuple):
        raise ValueError(
            "select: `condlist` and `choicelist` are not lists. Expected two lists of arrays. "
            f"Received: type(condlist)={type(condlist).__name__}, "
            f"type(choicelist)={type(choicelist).__name__}. Wrap the arrays in lists."
        )
    if not condlist or not choicelist:
        raise ValueError(
            "select: `condlist` or `choicelist` is empty. Expected at least one condition and "
            f"choice. Received: len(condlist)={len(condlist)}, len(choicelist)={len(choicelist)}."
        )
    return jnp.select([to_array(c) for c in condlist], [to_array(c) for c in choicelist],
                      default=default)


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    """Element-wise: whether each element of `x1` is in `x2`.

    Example:
        >>> isin(jnp.array([1, 2, 3]), jnp.array([2])).tolist()
        [False, True, False]
    """
    return jnp.isin(to_array(x1), to_array(x2), assume_unique=assume_unique, invert=invert)


@keras_op
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each non-negative integer (per row of a 2D `x`), weighted by `weights`.

    Example:
        >>> bincount(jnp.array([0, 1, 1, 3])).tolist()
        [1, 2, 0, 1]
    """
    if sparse:
        raise ValueError(
            "bincount: sparse outputs are not supported. Expected sparse=False. "
            "Received: sparse=True. Count densely."
        )
    x = to_array(x)
    weights = None if weights is None else to_array(weights)
    if x.ndim == 2:
        rows = [jnp.bincount(x[i], weights=None if weights is None else weights[i],
                             minlength=minlength) for i in range(x.shape[0])]
        return jnp.stack(rows)
    return jnp.bincount(x, weights=weights, minlength=minlength)


@keras_op
def histogram(x, bins=10, range=None):
    """Counts of `x` in `bins` equal bins over `range`, and the bin edges.

    Example:
        >>> histogram(jnp.array([0.0, 1.0, 1.0]), bins=2)[0].tolist()
        [1.0, 2.0]
    """
    if not isinstance(bins, int) or bins < 0:
        raise (TypeError if not isinstance(bins, int) else ValueError)(
            "histogram: `bins` is not a non-negative int. Expected the number of bins. "
            f"Received: bins={bins!r}. Pass an int such as bins=10."
        )
    if range and (not isinstance(range, tuple) or len(range) < 2 or range[1] < range[0]):
        raise ValueError(
            "histogram: `range` is not an increasing (low, high) tuple. Expected a tuple of "
            f"two numbers, low <= high. Received: range={range!r}."
        )
    x = to_array(x)
    if x.ndim > 1:
        raise ValueError(
            "histogram: the input is not 1D. Expected a 1D array. "
            f"Received: x.shape={x.shape}. Flatten it with `ravel` first."
        )
    return jnp.histogram(x, bins=bins, range=range)


@keras_op
def unravel_index(indices, shape):
    """Converts flat indices into a tuple of coordinate arrays for `shape`.

    Example:
        >>> [int(i) for i in unravel_index(jnp.array(5), (2, 3))]
        [1, 2]
    """
    return jnp.unravel_index(to_array(indices), shape)


@keras_op
def vectorize(pyfunc, *, excluded=None, signature=None):
    """Makes `pyfunc` apply element-wise (or per core shape of `signature`) with broadcasting.

    Example:
        >>> vectorize(lambda a, b: a + b)(jnp.array([1, 2]), 1).tolist()
        [2, 3]
    """
    return jnp.vectorize(pyfunc, excluded=set() if excluded is None else excluded, signature=signature)

