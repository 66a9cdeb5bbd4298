"""Math ops Keras keeps at `keras.ops`'s top level: segment reductions, top_k, logsumexp, erf.

The Fourier ops (`fft`, `stft`, ...) live in `kernelkit.ops.math_fft` and are gathered here.

Example:
    >>> import numpy as np
    >>> from kernelkit import ops
    >>> float(ops.logsumexp(np.zeros(2)))
    0.6931471824645996
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops import math_fft
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.math_fft import *  # noqa: F403

__all__ = sorted(["cdist", "erf", "erfc", "erfinv", "extract_sequences", "in_top_k", "logdet",
                  "logsumexp", "rsqrt", "segment_max", "segment_min", "segment_prod",
                  "segment_sum", "top_k", "view_as_complex", "view_as_real"] + math_fft.__all__)


def segments(op: str, data, segment_ids, num_segments):
    """`(data, segment_ids)` as arrays, after Keras's checks (1-D ids, one per row)."""
    data, segment_ids = jnp.asarray(data), jnp.asarray(segment_ids)
    if segment_ids.ndim != 1:
        raise ValueError(
            f"{op}: segment_ids is not 1-D. Expected a vector with one id per row of data. "
            f"Received: segment_ids.shape={segment_ids.shape}. Flatten the ids and the leading "
            "axes of data, or use vectorized_map.")
    if segment_ids.shape[0] != data.shape[0]:
        raise ValueError(
            f"{op}: segment_ids and data lengths differ. Expected segment_ids.shape[0] == "
            f"data.shape[0]. Received: segment_ids.shape={segment_ids.shape}, "
            f"data.shape={data.shape}. Pass one id per row of data.")
    if num_segments is None:
        raise ValueError(
            f"{op}: num_segments is missing. Expected an int (JAX needs static output shapes). "
            "Received: num_segments=None. Pass num_segments=<number of segments>.")
    return data, segment_ids


@keras_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums the rows of `data` that share a segment id.

    Args:
        data: Tensor whose first axis is segmented.
        segment_ids: 1-D integer tensor, one id per row of `data`.
        num_segments: The number of segments (required with JAX).
        sorted: Whether `segment_ids` are sorted (a speed hint).

    Returns:
        A tensor of shape `(num_segments, *data.shape[1:])`.

    Raises:
        ValueError: For ids that are not 1-D, a length mismatch, or no `num_segments`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.segment_sum(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2).tolist()
        [3.0, 3.0]
    """
    data, ids = segments("segment_sum", data, segment_ids, num_segments)
    return jax.ops.segment_sum(data, ids, num_segments, indices_are_sorted=sorted)


@keras_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum of the rows of `data` that share a segment id.

    Args:
        data: Tensor whose first axis is segmented.
        segment_ids: 1-D integer tensor, one id per row of `data`.
        num_segments: The number of segments (required with JAX).
        sorted: Whether `segment_ids` are sorted (a speed hint).

    Returns:
        A tensor of shape `(num_segments, *data.shape[1:])`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.segment_max(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2).tolist()
        [2.0, 3.0]
    """
    data, ids = segments("segment_max", data, segment_ids, num_segments)
    return jax.ops.segment_max(data, ids, num_segments, indices_are_sorted=sorted)


@keras_op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum of the rows of `data` that share a segment id.

    Args:
        data: Tensor whose first axis is segmented.
        segment_ids: 1-D integer tensor, one id per row of `data`.
        num_segments: The number of segments (required with JAX).
        sorted: Whether `segment_ids` are sorted (a speed hint).

    Returns:
        A tensor of shape `(num_segments, *data.shape[1:])`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.segment_min(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), 2).tolist()
        [1.0, 3.0]
    """
    data, ids = segments("segment_min", data, segment_ids, num_segments)
    return jax.ops.segment_min(data, ids, num_segments, indices_are_sorted=sorted)


@keras_op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product of the rows of `data` that share a segment id.

    Args:
        data: Tensor whose first axis is segmented.
        segment_ids: 1-D integer tensor, one id per row of `data`.
        num_segments: The number of segments (required with JAX).
        sorted: Whether `segment_ids` are sorted (a speed hint).

    Returns:
        A tensor of shape `(num_segments, *data.shape[1:])`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.segment_prod(np.array([2.0, 3.0, 4.0]), np.array([0, 0, 1]), 2).tolist()
        [6.0, 4.0]
    """
    data, ids = segments("segment_prod", data, segment_ids, num_segments)
    return jax.ops.segment_prod(data, ids, num_segments, indices_are_sorted=sorted)


@keras_op
def top_k(x, k, sorted=True):
    """The `k` largest entries along the last axis and their indices (always sorted, descending).

    Args:
        x: Input tensor.
        k: How many entries to keep.
        sorted: Accepted for Keras compatibility; the result is sorted either way.

    Returns:
        A tuple `(values, indices)`, each of shape `(*x.shape[:-1], k)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> values, indices = ops.top_k(np.array([1.0, 5.0, 3.0]), 2)
        >>> values.tolist(), indices.tolist()
        ([5.0, 3.0], [1, 2])
    """
    return jax.lax.top_k(jnp.asarray(x), k)


@keras_op
def in_top_k(targets, predictions, k):
    """Whether each target's prediction is among the `k` largest of its row (NaN ranks last).

    Args:
        targets: 1-D integer tensor of class ids, `(batch,)`.
        predictions: Tensor `(batch, num_classes)` of scores.
        k: The number of top entries to consider.

    Returns:
        A boolean tensor `(batch,)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.in_top_k(np.array([1, 0]), np.array([[0.1, 0.9], [0.1, 0.9]]), 1).tolist()
        [True, False]
    """
    targets, predictions = jnp.asarray(targets), jnp.asarray(predictions)
    at_label = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    at_label = jnp.where(jnp.isnan(at_label), -jnp.inf, at_label)
    return 1 + jnp.sum(predictions > at_label, axis=-1) <= k


@keras_op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` along `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None for all axes.
        keepdims: Whether to keep the reduced axes with size 1.

    Returns:
        The reduced tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.logsumexp(np.array([0.0, 0.0]))), 4)
        0.6931
    """
    return jax.scipy.special.logsumexp(jnp.asarray(x), axis=axis, keepdims=keepdims)


@keras_op
def cdist(x, y):
    """Euclidean distances between each row of `x` and each row of `y`.

    Args:
        x: Tensor `(..., m, d)`.
        y: Tensor `(..., n, d)`.

    Returns:
        A tensor `(..., m, n)`.

    Raises:
        ValueError: For ranks below 2 or different last axes.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.cdist(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]])).tolist()
        [[5.0]]
    """
    x, y = jnp.asarray(x), jnp.asarray(y)
    if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "cdist: incompatible inputs. Expected x (..., m, d) and y (..., n, d) with the same "
            f"d. Received: x.shape={x.shape}, y.shape={y.shape}. Use row-vector collections.")
    diff = x[..., :, None, :] - y[..., None, :, :]
    return jnp.sqrt(jnp.sum(diff * diff, axis=-1))


@keras_op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis.

    Args:
        x: Tensor `(..., length)`.
        sequence_length: The frame length.
        sequence_stride: The step between frame starts.

    Returns:
        A tensor `(..., num_frames, sequence_length)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.extract_sequences(np.arange(5.0), 2, 2).tolist()
        [[0.0, 1.0], [2.0, 3.0]]
    """
    x = jnp.asarray(x)
    starts = jnp.arange(0, x.shape[-1] - sequence_length + 1, sequence_stride)
    index = starts[:, None] + jnp.arange(sequence_length)[None, :]
    return x[..., index]


@keras_op
def rsqrt(x):
    """Reciprocal square root, `1 / sqrt(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.rsqrt(np.array([4.0])).tolist()
        [0.5]
    """
    return jax.lax.rsqrt(jnp.asarray(x))


@keras_op
def erf(x):
    """The error function, elementwise.

    Args:
        x: Floating input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.erf(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.lax.erf(jnp.asarray(x))


@keras_op
def erfc(x):
    """The complementary error function, `1 - erf(x)`, elementwise.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.erfc(np.array([0.0])).tolist()
        [1.0]
    """
    return jax.scipy.special.erfc(jnp.asarray(x))


@keras_op
def erfinv(x):
    """The inverse error function, elementwise.

    Args:
        x: Input tensor, values in (-1, 1).

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.erfinv(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.scipy.special.erfinv(jnp.asarray(x))


@keras_op
def logdet(x):
    """Log-determinant of (batches of) Hermitian positive-definite matrices, via `slogdet`.

    Args:
        x: Tensor `(..., n, n)`.

    Returns:
        A tensor `(...)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> float(ops.logdet(np.eye(2)))
        0.0
    """
    return jnp.linalg.slogdet(jnp.asarray(x))[1]


@keras_op
def view_as_complex(x):
    """Reads a trailing axis of size 2 as (real, imaginary): a complex64 tensor without it.

    Args:
        x: Real tensor `(..., 2)`.

    Returns:
        A complex64 tensor `(...)`.

    Raises:
        ValueError: When the last axis is not of size 2.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> complex(ops.view_as_complex(np.array([1.0, 2.0])))
        (1+2j)
    """
    x = jnp.asarray(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(
            "view_as_complex: the last axis is not of size 2. Expected (..., 2) holding real and "
            f"imaginary parts. Received: x.shape={x.shape}. Stack the two parts on a last axis.")
    return x[..., 0].astype(jnp.complex64) + 1j * x[..., 1].astype(jnp.complex64)


@keras_op
def view_as_real(x):
    """Splits a complex tensor into a trailing axis of size 2, (real, imaginary).

    Args:
        x: Complex tensor.

    Returns:
        A real tensor `(*x.shape, 2)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.view_as_real(np.array(1 + 2j, "complex64")).tolist()
        [1.0, 2.0]
    """
    x = jnp.asarray(x)
    return jnp.stack((jnp.real(x), jnp.imag(x)), axis=-1)
