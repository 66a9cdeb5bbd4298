"""Numpy-family ops that rearrange arrays: reshape, transpose, join, split, tile, pad, index."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.numpy_conversion import to_array

__all__ = ["append", "array_split", "broadcast_to", "concatenate", "diag", "diagflat", "diagonal", "dsplit", "dstack", "expand_dims", "flip", "fliplr", "flipud", "get_item", "hsplit", "hstack", "moveaxis", "ndim", "pad", "ravel", "repeat", "reshape", "roll", "rot90", "size", "split", "squeeze", "stack", "swapaxes", "take", "take_along_axis", "tile", "transpose", "tril", "triu", "vsplit", "vstack"]


def _arrays(xs):
    return [to_array(x) for x in xs]


@keras_op
def reshape(x, newshape):
    """Gives `x` a new shape with the same number of elements (one `-1` is inferred).

    Example:
        >>> reshape(jnp.arange(6), (2, -1)).shape
        (2, 3)
    """
    return jnp.reshape(to_array(x), newshape)


@keras_op
def ravel(x):
    """Flattens `x` into 1D.

    Example:
        >>> ravel(jnp.zeros((2, 3))).shape
        (6,)
    """
    return jnp.ravel(to_array(x))


@keras_op
def expand_dims(x, axis):
    """Inserts a length-1 axis at `axis` (an int or a tuple of ints).

    Example:
        >>> expand_dims(jnp.zeros((2, 3)), -1).shape
        (2, 3, 1)
    """
    return jnp.expand_dims(to_array(x), axis)


@keras_op
def squeeze(x, axis=None):
    """Removes length-1 axes (all of them, or those in `axis`).

    Example:
        >>> squeeze(jnp.zeros((1, 3, 1))).shape
        (3,)
    """
    return jnp.squeeze(to_array(x), axis=axis)


@keras_op
def transpose(x, axes=None):
    """Permutes the axes (reverses them when `axes` is `None`).

    Example:
        >>> transpose(jnp.zeros((2, 3, 4)), (0, 2, 1)).shape
        (2, 4, 3)
    """
    return jnp.transpose(to_array(x), axes)


@keras_op
def swapaxes(x, axis1, axis2):
    """Swaps two axes.

    Example:
        >>> swapaxes(jnp.zeros((2, 3)), 0, 1).shape
        (3, 2)
    """
    return jnp.swapaxes(to_array(x), axis1, axis2)


@keras_op
def moveaxis(x, source, destination):
    """Moves axes `source` to positions `destination`.

    Example:
        >>> moveaxis(jnp.zeros((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    return jnp.moveaxis(to_array(x), source, destination)


@keras_op
def broadcast_to(x, shape):
    """Broadcasts `x` to `shape`.

    Example:
        >>> broadcast_to(jnp.array([1, 2]), (3, 2)).shape
        (3, 2)
    """
    return jnp.broadcast_to(to_array(x), shape)


@keras_op
def concatenate(xs, axis=0):
    """Joins a sequence of arrays along an existing axis (`None` flattens first).

    Example:
        >>> concatenate([jnp.zeros((1, 2)), jnp.ones((1, 2))], axis=0).tolist()
        [[0.0, 0.0], [1.0, 1.0]]
    """
    return jnp.concatenate(_arrays(xs), axis=axis)


@keras_op
def stack(x, axis=0):
    """Joins a sequence of same-shape arrays along a new axis.

    Example:
        >>> stack([jnp.zeros(2), jnp.ones(2)], axis=1).shape
        (2, 2)
    """
    return jnp.stack(_arrays(x), axis=axis)


@keras_op
def hstack(xs):
    """Joins arrays column-wise (along axis 1; axis 0 for 1D arrays).

    Example:
        >>> hstack([jnp.zeros(2), jnp.ones(3)]).shape
        (5,)
    """
    return jnp.hstack(_arrays(xs))


@keras_op
def vstack(xs):
    """Joins arrays row-wise (1D arrays become rows).

    Example:
        >>> vstack([jnp.zeros(2), jnp.ones(2)]).shape
        (2, 2)
    """
    return jnp.vstack(_arrays(xs))


@keras_op
def dstack(xs):
    """Joins arrays depth-wise (along axis 2).

    Example:
        >>> dstack([jnp.zeros((2, 2)), jnp.ones((2, 2))]).shape
        (2, 2, 2)
    """
    return jnp.dstack(_arrays(xs))


@keras_op
def append(x1, x2, axis=None):
    """Appends `x2` to `x1` along `axis` (both flattened when `None`).

    Example:
        >>> append(jnp.array([1, 2]), jnp.array([3])).tolist()
        [1, 2, 3]
    """
    return jnp.append(to_array(x1), to_array(x2), axis=axis)


@keras_op
def split(x, indices_or_sections, axis=0):
    """Splits into equal sections, or at the given indices, along `axis`.

    Example:
        >>> [p.tolist() for p in split(jnp.arange(4), 2)]
        [[0, 1], [2, 3]]
    """
    return jnp.split(to_array(x), indices_or_sections, axis=axis)


@keras_op
def array_split(x, indices_or_sections, axis=0):
    """Splits into sections that may differ in length by one.

    Example:
        >>> [p.tolist() for p in array_split(jnp.arange(5), 2)]
        [[0, 1, 2], [3, 4]]
    """
    if not isinstance(indices_or_sections, int) or isinstance(indices_or_sections, bool):
        raise TypeError(
            "array_split: `indices_or_sections` is not an int. Expected the number of sections. "
            f"Received: indices_or_sections={indices_or_sections!r}. Use `split` for indices."
        )
    if indices_or_sections <= 0:
        raise ValueError(
            "array_split: the number of sections is not positive. Expected an int >= 1. "
            f"Received: indices_or_sections={indices_or_sections}. Pass a positive count."
        )
    if not isinstance(axis, int):
        raise TypeError(
            f"array_split: `axis` is not an int. Expected an int. Received: axis={axis!r}. "
            "Pass one axis."
        )
    return jnp.array_split(to_array(x), indices_or_sections, axis=axis)


@keras_op
def hsplit(x, indices_or_sections):
    """Splits column-wise (along axis 1; axis 0 for 1D).

    Example:
        >>> [p.shape for p in hsplit(jnp.zeros((2, 4)), 2)]
        [(2, 2), (2, 2)]
    """
    return jnp.hsplit(to_array(x), indices_or_sections)


@keras_op
def vsplit(x, indices_or_sections):
    """Splits row-wise (along axis 0).

    Example:
        >>> [p.shape for p in vsplit(jnp.zeros((4, 2)), 2)]
        [(2, 2), (2, 2)]
    """
    return jnp.vsplit(to_array(x), indices_or_sections)


@keras_op
def dsplit(x, indices_or_sections):
    """Splits depth-wise (along axis 2).

    Example:
        >>> [p.shape for p in dsplit(jnp.zeros((1, 1, 4)), 2)]
        [(1, 1, 2), (1, 1, 2)]
    """
    return jnp.dsplit(to_array(x), indices_or_sections)


@keras_op
def tile(x, repeats):
    """Repeats the whole array `repeats` times (per axis).

    Example:
        >>> tile(jnp.array([1, 2]), 2).tolist()
        [1, 2, 1, 2]
    """
    return jnp.tile(to_array(x), repeats)


@keras_op
def repeat(x, repeats, axis=None):
    """Repeats each element `repeats` times (the flattened array when `axis` is `None`).

    Example:
        >>> repeat(jnp.array([1, 2]), 2).tolist()
        [1, 1, 2, 2]
    """
    return jnp.repeat(to_array(x), repeats, axis=axis)


@keras_op
def flip(x, axis=None):
    """Reverses the order of elements along `axis` (all axes when `None`).

    Example:
        >>> flip(jnp.array([1, 2, 3])).tolist()
        [3, 2, 1]
    """
    return jnp.flip(to_array(x), axis=axis)


@keras_op
def fliplr(x):
    """Reverses the columns (axis 1).

    Example:
        >>> fliplr(jnp.array([[1, 2]])).tolist()
        [[2, 1]]
    """
    return jnp.fliplr(to_array(x))


@keras_op
def flipud(x):
    """Reverses the rows (axis 0).

    Example:
        >>> flipud(jnp.array([[1], [2]])).tolist()
        [[2], [1]]
    """
    return jnp.flipud(to_array(x))


@keras_op
def rot90(array, k=1, axes=(0, 1)):
    """Rotates by 90 degrees `k` times in the plane of `axes`.

    Example:
        >>> rot90(jnp.array([[1, 2], [3, 4]])).tolist()
        [[2, 4], [1, 3]]
    """
    array = to_array(array)
    if array.ndim < 2:
        raise ValueError(
            "rot90: the array has fewer than 2 dimensions. Expected an array of rank 2 or more. "
            f"Received: array.shape={array.shape}. Add an axis with `expand_dims` first."
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(
            "rot90: the rotation plane is not two distinct axes. Expected two different axes. "
            f"Received: axes={axes}. Pass e.g. axes=(0, 1)."
        )
    return jnp.rot90(array, k=k, axes=axes)


@keras_op
def roll(x, shift, axis=None):
    """Shifts elements circularly by `shift` along `axis` (the flattened array when `None`).

    Example:
        >>> roll(jnp.array([1, 2, 3]), 1).tolist()
        [3, 1, 2]
    """
    return jnp.roll(to_array(x), shift, axis=axis)


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` by `pad_width` (`((before, after), ...)`) in `mode` (`constant`, `reflect`, ...).

    Example:
        >>> pad(jnp.array([1, 2]), (1, 1)).tolist()
        [0, 1, 2, 0]
    """
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                "pad: `constant_values` only applies to the constant mode. Expected "
                f"mode='constant' with constant_values. Received: mode={mode!r}. Drop "
                "constant_values or use mode='constant'."
            )
        kwargs["constant_values"] = constant_values
    return jnp.pad(to_array(x), pad_width, mode=mode, **kwargs)


@keras_op
def diag(x, k=0):
    """The `k`-th diagonal of a 2D `x`, or a 2D array with the 1D `x` on it.

    Example:
        >>> diag(jnp.array([1, 2])).tolist()
        [[1, 0], [0, 2]]
    """
    return jnp.diag(to_array(x), k=k)


@keras_op
def diagflat(x, k=0):
    """A 2D array with the flattened `x` on the `k`-th diagonal.

    Example:
        >>> diagflat(jnp.array([[1, 2]])).tolist()
        [[1, 0], [0, 2]]
    """
    return jnp.diagflat(to_array(x), k=k)


@keras_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal of the `(axis1, axis2)` planes, shifted by `offset`.

    Example:
        >>> diagonal(jnp.array([[1, 2], [3, 4]])).tolist()
        [1, 4]
    """
    x = to_array(x)
    if x.ndim and axis1 % x.ndim == axis2 % x.ndim:
        raise ValueError(
            "diagonal: `axis1` and `axis2` are the same axis. Expected two different axes. "
            f"Received: axis1={axis1}, axis2={axis2}. Pass e.g. axis1=0, axis2=1."
        )
    return jnp.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


@keras_op
def tril(x, k=0):
    """Zeros above the `k`-th diagonal (of the last two axes).

    Example:
        >>> tril(jnp.ones((2, 2))).tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    return jnp.tril(to_array(x), k=k)


@keras_op
def triu(x, k=0):
    """Zeros below the `k`-th diagonal (of the last two axes).

    Example:
        >>> triu(jnp.ones((2, 2))).tolist()
        [[1.0, 1.0], [0.0, 1.0]]
    """
    return jnp.triu(to_array(x), k=k)


@keras_op
def take(x, indices, axis=None):
    """Elements at `indices` along `axis` (of the flattened array when `None`).

    Example:
        >>> take(jnp.array([10, 20, 30]), jnp.array([2, 0])).tolist()
        [30, 10]
    """
    return jnp.take(to_array(x), to_array(indices), axis=axis)


@keras_op
def take_along_axis(x, indices, axis=None):
    """Picks values along `axis` at matching `indices` (as from `argsort`).

    Example:
        >>> take_along_axis(jnp.array([[3, 1]]), jnp.array([[1, 0]]), axis=1).tolist()
        [[1, 3]]
    """
    return jnp.take_along_axis(to_array(x), to_array(indices), axis=axis)


@keras_op
def get_item(x, key):
    """Returns `x[key]`.

    Example:
        >>> get_item(jnp.array([1, 2, 3]), 1).tolist()
        2
    """
    return to_array(x)[key]


@keras_op
def ndim(x):
    """The number of dimensions of `x`.

    Example:
        >>> ndim(jnp.zeros((2, 3)))
        2
    """
    return jnp.ndim(x)


@keras_op
def size(x):
    """The number of elements of `x`.

    Example:
        >>> size(jnp.zeros((2, 3)))
        6
    """
    return jnp.size(x)

