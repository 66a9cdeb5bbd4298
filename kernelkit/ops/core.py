"""Core ops: conversion, casts, shape and dtype queries, scatter and slice updates.

Control flow (`cond`, `scan`, `while_loop`, ...) lives in `kernelkit.ops.core_control_flow`,
einops-style `rearrange` in `kernelkit.ops.core_rearrange`; both are gathered here.

Example:
    >>> import numpy as np
    >>> from kernelkit import ops
    >>> ops.cast(np.array([1.7]), "int32").tolist()
    [1]
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
from jax.experimental import sparse as jax_sparse

from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.ops import core_control_flow, core_rearrange
from kernelkit.ops.core_control_flow import *  # noqa: F403
from kernelkit.ops.core_rearrange import *  # noqa: F403
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import standardize_dtype

__all__ = sorted(["cast", "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype",
                  "is_tensor", "saturate_cast", "scatter", "scatter_update", "shape", "slice",
                  "slice_update", "stop_gradient", "unstack"]
                 + core_control_flow.__all__ + core_rearrange.__all__)


def value_of(x):
    """The array behind a variable-like object (anything with a `.value` array), else `x`."""
    value = getattr(x, "value", None)
    return value if isinstance(value, jax.Array) else x


@keras_op
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """A JAX array of `x` (a NumPy array, Python value, variable or array), in `dtype`.

    Args:
        x: The value to convert.
        dtype: Optional target dtype name.
        sparse: False densifies a sparse input; None or True keep it.
        ragged: Must be falsy: ragged tensors do not exist in JAX.

    Returns:
        A `jax.Array` (or the sparse array kept as is).

    Raises:
        ValueError: When `ragged=True`.

    Example:
        >>> from kernelkit import ops
        >>> ops.convert_to_tensor([1, 2], dtype="float32").tolist()
        [1.0, 2.0]
    """
    if ragged:
        raise ValueError(
            "convert_to_tensor: ragged tensors are not supported with JAX. Expected "
            "ragged=None or False. Received: ragged=True. Pad the rows to one length.")
    dtype = None if dtype is None else standardize_dtype(dtype)
    x = value_of(x)
    if isinstance(x, jax_sparse.JAXSparse):
        if sparse is not None and not sparse:
            x = x.todense()
        return x if dtype is None else x.astype(dtype)
    if isinstance(x, jax.Array) and (dtype is None or x.dtype == dtype):
        return x
    if dtype == "bfloat16":
        return jnp.asarray(x).astype(dtype)
    return jnp.asarray(x, dtype=dtype)


def convert_to_numpy(x):
    """A NumPy array of a tensor (dense, bfloat16 kept as `ml_dtypes.bfloat16`).

    Args:
        x: A tensor, array or Python value.

    Returns:
        A `numpy.ndarray`.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit import ops
        >>> type(ops.convert_to_numpy(jnp.ones(2))).__name__
        'ndarray'
    """
    x = value_of(x)
    if isinstance(x, SymbolicTensor):
        raise ValueError(
            f"convert_to_numpy: x is symbolic and has no values. Expected an array. Received: "
            f"x={x}. Call it on the model's outputs, not inside the graph.")
    if isinstance(x, jax_sparse.JAXSparse):
        x = x.todense()
    if isinstance(x, jax.Array) and x.dtype == jnp.bfloat16:
        return np.array(x, dtype=ml_dtypes.bfloat16)
    return np.array(x)


def is_tensor(x):
    """Whether `x` is a backend tensor (a JAX array, dense or sparse); NumPy arrays are not.

    Args:
        x: Any value.

    Returns:
        A bool.

    Example:
        >>> import numpy as np, jax.numpy as jnp
        >>> from kernelkit import ops
        >>> ops.is_tensor(jnp.ones(2)), ops.is_tensor(np.ones(2))
        (True, False)
    """
    return isinstance(x, jax.Array | jax_sparse.JAXSparse)


def shape(x):
    """The shape of `x` as a tuple; `None` for the unknown axes of a symbolic tensor.

    Args:
        x: A tensor, array or symbolic tensor.

    Returns:
        A tuple.

    Example:
        >>> import kernelkit as kk
        >>> from kernelkit import ops
        >>> ops.shape(kk.Input(shape=(3,)))
        (None, 3)
    """
    if isinstance(x, SymbolicTensor):
        return tuple(x.shape)
    return tuple(jnp.shape(value_of(x)))


def dtype(x):
    """The Keras name of `x`'s dtype, e.g. `"float32"`.

    Args:
        x: A tensor, array or symbolic tensor.

    Returns:
        A string.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.dtype(np.ones(2, "int8"))
        'int8'
    """
    return standardize_dtype(value_of(x).dtype)


@keras_op
def cast(x, dtype):
    """`x` converted to `dtype` (floats to ints truncate toward zero).

    Args:
        x: Input tensor.
        dtype: The target dtype name.

    Returns:
        A tensor of dtype `dtype`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.cast(np.array([1.5, -1.5]), "int32").tolist()
        [1, -1]
    """
    return convert_to_tensor.__wrapped__(x, dtype=standardize_dtype(dtype))


def limits(name: str):
    """The (min, max) representable in dtype `name`."""
    if name == "bool":
        return 0, 1
    info = ml_dtypes.iinfo(name) if "int" in name else ml_dtypes.finfo(name)
    return info.min, info.max


@keras_op
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, first clipping it to the target's range (no wrap-around).

    Args:
        x: Input tensor.
        dtype: The target dtype name.

    Returns:
        A tensor of dtype `dtype`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.saturate_cast(np.array([300, -5]), "uint8").tolist()
        [255, 0]
    """
    dtype = standardize_dtype(dtype)
    x = convert_to_tensor.__wrapped__(x)
    source = standardize_dtype(x.dtype)
    (in_min, in_max), (out_min, out_max) = limits(source), limits(dtype)
    low = np.maximum(in_min, out_min).astype(source)
    if low < out_min:
        low = np.nextafter(low, 0, dtype=source)
    high = np.minimum(in_max, out_max).astype(source)
    if high > out_max:
        high = np.nextafter(high, 0, dtype=source)
    return jnp.clip(x, low, high).astype(dtype)


@keras_op
def stop_gradient(variable):
    """`variable` unchanged, but with no gradient flowing through it.

    Args:
        variable: A tensor or variable.

    Returns:
        The same values, as a constant for differentiation.

    Example:
        >>> import jax
        >>> from kernelkit import ops
        >>> float(jax.grad(lambda x: ops.stop_gradient(x) * x)(3.0))
        3.0
    """
    return jax.lax.stop_gradient(value_of(variable))


@keras_op
def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors without that axis.

    Args:
        x: Input tensor.
        num: Optional expected count (checked against `x.shape[axis]`).
        axis: The axis to split along.

    Returns:
        A list of `x.shape[axis]` tensors.

    Raises:
        ValueError: When `num` differs from the axis size.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> [t.tolist() for t in ops.unstack(np.array([[1, 2], [3, 4]]))]
        [[1, 2], [3, 4]]
    """
    x = jnp.asarray(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(
            f"unstack: num differs from the axis size. Expected num={x.shape[axis]} (or None). "
            f"Received: num={num}, x.shape={x.shape}, axis={axis}. Drop num or fix it.")
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]


@keras_op
def scatter(indices, values, shape):
    """A zero tensor of `shape` with `values` added at `indices` (duplicates add up).

    Args:
        indices: Integer tensor `(n, k)`, each row an index into the first `k` axes.
        values: Tensor `(n, *shape[k:])`.
        shape: The output shape.

    Returns:
        A tensor of `shape`, dtype of `values`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.scatter(np.array([[0], [2]]), np.array([1.0, 5.0]), (3,)).tolist()
        [1.0, 0.0, 5.0]
    """
    indices, values = jnp.asarray(indices), jnp.asarray(values)
    return jnp.zeros(shape, values.dtype).at[tuple(jnp.moveaxis(indices, -1, 0))].add(values)


REDUCTIONS = (None, "add", "max", "min", "mul")


@keras_op
def scatter_update(inputs, indices, updates, reduction=None):
    """`inputs` with `updates` written (or combined by `reduction`) at `indices`.

    Args:
        inputs: Tensor to update.
        indices: Integer tensor `(n, k)`, each row an index into the first `k` axes.
        updates: Tensor `(n, *inputs.shape[k:])`.
        reduction: None (overwrite), `"add"`, `"max"`, `"min"` or `"mul"`.

    Returns:
        The updated tensor.

    Raises:
        ValueError: For an unknown reduction.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.scatter_update(np.zeros(3), np.array([[1]]), np.array([7.0])).tolist()
        [0.0, 7.0, 0.0]
    """
    how = reduction.lower() if isinstance(reduction, str) else reduction
    if how not in REDUCTIONS:
        raise ValueError(
            f"scatter_update: unknown reduction. Expected one of {REDUCTIONS}. Received: "
            f"reduction={reduction!r}. Pass one of those.")
    inputs = convert_to_tensor.__wrapped__(inputs)
    at = inputs.at[tuple(jnp.transpose(jnp.asarray(indices)))]
    if how is None:
        return at.set(updates)
    return {"add": at.add, "max": at.max, "min": at.min, "mul": at.multiply}[how](updates)


@keras_op
def slice(inputs, start_indices, shape):
    """The block of `inputs` of `shape` starting at `start_indices` (-1 in shape: to the end).

    Args:
        inputs: Input tensor.
        start_indices: One start index per axis (may be traced).
        shape: The block's size per axis; -1 takes the rest of that axis.

    Returns:
        A tensor of the block.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.slice(np.arange(6).reshape(2, 3), (0, 1), (2, -1)).tolist()
        [[1, 2], [4, 5]]
    """
    inputs = jnp.asarray(inputs)
    size = tuple(inputs.shape[i] - start_indices[i] if s == -1 else s for i, s in enumerate(shape))
    return jax.lax.dynamic_slice(inputs, start_indices, size)


@keras_op
def slice_update(inputs, start_indices, updates):
    """`inputs` with the block at `start_indices` replaced by `updates`.

    Args:
        inputs: Input tensor.
        start_indices: One start index per axis (may be traced).
        updates: The block to write, of `inputs`' rank.

    Returns:
        The updated tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.slice_update(np.zeros(4), (1,), np.ones(2)).tolist()
        [0.0, 1.0, 1.0, 0.0]
    """
    inputs = jnp.asarray(inputs)
    return jax.lax.dynamic_update_slice(inputs, jnp.asarray(updates, inputs.dtype), start_indices)


def custom_gradient(f):
    """Decorates `f(*args)` returning `(value, grad_fn)` so that JAX uses `grad_fn(upstream)`.

    Args:
        f: A function returning its output and a function of the upstream gradient giving
            the gradients of its inputs.

    Returns:
        The function with the custom gradient.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from kernelkit import ops
        >>> @ops.custom_gradient
        ... def clipped(x):
        ...     return x, lambda g: jnp.clip(g, -1.0, 1.0)
        >>> float(jax.grad(lambda x: 5.0 * clipped(x))(2.0))
        1.0
    """
    wrapped = jax.custom_gradient(f)

    def call(*args, **kwargs):
        args, kwargs = jax.tree_util.tree_map(value_of, (args, kwargs))
        return wrapped(*args, **kwargs)

    return call
