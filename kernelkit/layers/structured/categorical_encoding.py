"""`encode_categorical`: integer indices to one-hot, multi-hot or count vectors (Keras's rules)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["OUTPUT_MODES", "encode_categorical", "encoded_shape"]

OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def encode_categorical(indices, output_mode, depth, dtype="float32", count_weights=None,
                       sparse=False):
    """Encodes integer `indices` in `[0, depth)` as Keras's preprocessing layers do.

    `"one_hot"` adds an axis of size `depth` (replacing a last axis of size 1); `"multi_hot"`
    and `"count"` reduce the sample axis (axis 1 of a batch, axis 0 of one sample). Indices
    outside `[0, depth)` encode to zeros.

    Args:
        indices: Integer array.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"` or `"count"`.
        depth: Size of the encoded axis.
        dtype: Output dtype (the dtype of `count_weights` when they are given).
        count_weights: Optional weights, shaped like `indices`, summed in `"count"` mode.
        sparse: Whether to return a `jax.experimental.sparse.BCOO` array.

    Returns:
        The encoded array.

    Example:
        >>> import jax.numpy as jnp
        >>> encode_categorical(jnp.array([[0, 2, 2]]), "count", 3).tolist()
        [[1.0, 0.0, 2.0]]
    """
    indices = jnp.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    axis = 1 if indices.ndim > 1 else 0
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = jnp.reshape(indices, indices.shape[:-1])
        out = jax.nn.one_hot(indices, depth, dtype=dtype)
    elif output_mode == "multi_hot":
        out = jnp.max(jax.nn.one_hot(indices.astype("int32"), depth, dtype=dtype), axis=axis)
    else:
        if count_weights is not None:
            count_weights = jnp.asarray(count_weights)
            dtype = count_weights.dtype
        hot = jax.nn.one_hot(indices, depth, dtype=dtype)
        if count_weights is not None:
            hot = hot * count_weights[..., None]
        out = jnp.sum(hot, axis=axis)
    if sparse:
        from jax.experimental import sparse as jsparse

        return jsparse.BCOO.fromdense(out)
    return out


def encoded_shape(input_shape, output_mode, depth):
    """The output shape of `encode_categorical` for `input_shape` (`None` for unknown dims).

    Args:
        input_shape: Shape of the indices.
        output_mode: As in `encode_categorical`.
        depth: Size of the encoded axis.

    Returns:
        The output shape as a tuple.

    Example:
        >>> encoded_shape((None, 4), "multi_hot", 10)
        (None, 10)
    """
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return (*input_shape[:-1], depth)
        return (*input_shape, depth)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0], *input_shape[2:], depth)
