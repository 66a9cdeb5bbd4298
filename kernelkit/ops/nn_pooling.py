"""Pooling ops of `keras.ops.nn`: max_pool, average_pool and their adaptive forms."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.nn_conv import resolve_data_format, resolve_padding, spatial_tuple

__all__ = ["adaptive_average_pool", "adaptive_max_pool", "average_pool", "max_pool"]


def window(op: str, inputs, pool_size, strides, data_format):
    """Full-rank `(window, strides)` tuples, with 1 on the batch and channel axes."""
    rank = inputs.ndim - 2
    if rank < 1:
        raise ValueError(
            f"{op}: inputs have no spatial axis. Expected a tensor of rank 3 or more, "
            f"(batch, *spatial, channels). Received: inputs.shape={inputs.shape}. Add the batch "
            "and channel axes.")
    size = spatial_tuple(op, "pool_size", pool_size, rank)
    step = size if strides is None else spatial_tuple(op, "strides", strides, rank)
    if data_format == "channels_last":
        return (1, *size, 1), (1, *step, 1)
    return (1, 1, *size), (1, 1, *step)


@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over 1, 2 or 3 spatial axes.

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first).
        pool_size: Int or tuple of N ints, the window size.
        strides: Int or tuple of N ints; default `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The pooled tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.max_pool(np.arange(4.0).reshape(1, 4, 1), 2).ravel().tolist()
        [1.0, 3.0]
    """
    inputs = jnp.asarray(inputs)
    data_format = resolve_data_format("max_pool", data_format)
    size, step = window("max_pool", inputs, pool_size, strides, data_format)
    return jax.lax.reduce_window(inputs, -jnp.inf, jax.lax.max, size, step,
                                 resolve_padding("max_pool", padding))


@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over 1, 2 or 3 spatial axes; `"same"` averages only the real entries.

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first).
        pool_size: Int or tuple of N ints, the window size.
        strides: Int or tuple of N ints; default `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The pooled tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.average_pool(np.arange(4.0).reshape(1, 4, 1), 2).ravel().tolist()
        [0.5, 2.5]
    """
    inputs = jnp.asarray(inputs)
    data_format = resolve_data_format("average_pool", data_format)
    size, step = window("average_pool", inputs, pool_size, strides, data_format)
    pad = resolve_padding("average_pool", padding)
    total = jax.lax.reduce_window(inputs, 0.0, jax.lax.add, size, step, pad)
    if pad == "VALID":
        return total / math.prod(size)
    ones = jnp.ones([d if s != 1 else 1 for d, s in zip(inputs.shape, size)], inputs.dtype)
    return total / jax.lax.reduce_window(ones, 0.0, jax.lax.add, size, step, pad)


def adaptive(op: str, inputs, output_size, data_format, reduce):
    """Pools each spatial axis into `output_size` bins `[floor(i*L/n), ceil((i+1)*L/n))`."""
    inputs = jnp.asarray(inputs)
    data_format = resolve_data_format(op, data_format)
    rank = inputs.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"{op}: unsupported input rank. Expected 1, 2 or 3 spatial axes (rank 3 to 5). "
            f"Received: inputs.shape={inputs.shape}. Reshape the inputs.")
    sizes = spatial_tuple(op, "output_size", output_size, rank)
    first = 1 if data_format == "channels_last" else 2
    out = inputs
    for i, n in enumerate(sizes):
        axis = first + i
        length = out.shape[axis]
        bins = [reduce(jax.lax.slice_in_dim(out, (j * length) // n, -(-((j + 1) * length) // n),
                                            axis=axis), axis)
                for j in range(n)]
        out = jnp.stack(bins, axis=axis)
    return out


@keras_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size, whatever the input size (as PyTorch's).

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first), 1 to 3
            spatial axes.
        output_size: Int or tuple of N ints, the output's spatial size.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        A tensor with spatial shape `output_size`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.adaptive_average_pool(np.arange(6.0).reshape(1, 6, 1), 2).ravel().tolist()
        [1.0, 4.0]
    """
    return adaptive("adaptive_average_pool", inputs, output_size, data_format,
                    lambda x, axis: jnp.mean(x, axis=axis))


@keras_op
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size, whatever the input size (as PyTorch's).

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first), 1 to 3
            spatial axes.
        output_size: Int or tuple of N ints, the output's spatial size.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        A tensor with spatial shape `output_size`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.adaptive_max_pool(np.arange(6.0).reshape(1, 6, 1), 2).ravel().tolist()
        [2.0, 5.0]
    """
    return adaptive("adaptive_max_pool", inputs, output_size, data_format,
                    lambda x, axis: jnp.max(x, axis=axis))
