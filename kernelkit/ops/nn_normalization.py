"""Normalization ops of `keras.ops.nn`: moments, batch/layer/RMS normalization, normalize."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.config import epsilon as default_epsilon
from kernelkit.ops.dispatch import keras_op

__all__ = ["batch_normalization", "layer_normalization", "moments", "normalize",
           "rms_normalization"]


def compute_dtype(x):
    """At least float32, as Keras computes statistics (float16 has too little range)."""
    return jnp.promote_types(x.dtype, jnp.float32) if jnp.issubdtype(x.dtype, jnp.floating) \
        else jnp.dtype("float32")


def keep_dtype_of(x, y):
    """`y` cast back to `x`'s dtype."""
    return y.astype(x.dtype)


@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes` (float16/bfloat16 computed in float32).

    Args:
        x: Input tensor.
        axes: Int or sequence of ints, the axes to reduce.
        keepdims: Whether to keep the reduced axes with size 1.
        synchronized: Must be False: cross-device synchronization is not available with JAX.

    Returns:
        A tuple `(mean, variance)`.

    Raises:
        NotImplementedError: When `synchronized=True`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> mean, var = ops.moments(np.array([1.0, 2.0, 3.0, 4.0]), axes=0)
        >>> float(mean), float(var)
        (2.5, 1.25)
    """
    if synchronized:
        raise NotImplementedError(
            "moments: synchronized=True is not supported with JAX. Expected synchronized=False. "
            "Received: synchronized=True. Compute the statistics on the global batch instead.")
    x = jnp.asarray(x)
    half = x.dtype in (jnp.float16, jnp.bfloat16)
    y = x.astype(jnp.float32) if half else x
    mean = jnp.mean(y, axis=axes, keepdims=keepdims)
    variance = jnp.var(y, axis=axes, keepdims=keepdims)
    if half:
        limit = float(jnp.finfo(jnp.float16).max)
        mean = jnp.clip(mean, -limit, limit).astype(x.dtype)
        variance = jnp.clip(variance, -limit, limit).astype(x.dtype)
    return mean, variance


@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalizes `x` with given statistics: `(x - mean) * scale / sqrt(variance + eps) + offset`.

    Args:
        x: Input tensor.
        mean: 1-D tensor of means, one per entry of `x`'s `axis`.
        variance: 1-D tensor of variances, like `mean`.
        axis: The feature axis of `x`.
        offset: Optional 1-D tensor added after normalizing (beta).
        scale: Optional 1-D tensor multiplied after normalizing (gamma).
        epsilon: Added to the variance to avoid dividing by zero.

    Returns:
        The normalized tensor.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.batch_normalization(np.array([[3.0]]), np.array([1.0]), np.array([4.0]), axis=-1,
        ...                         epsilon=0.0).tolist()
        [[1.0]]
    """
    x, mean, variance = jnp.asarray(x), jnp.asarray(mean), jnp.asarray(variance)
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    inv = jax.lax.rsqrt(variance.reshape(shape) + epsilon)
    if scale is not None:
        inv = inv * jnp.reshape(scale, shape)
    shift = -mean.reshape(shape) * inv
    if offset is not None:
        shift = shift + jnp.reshape(offset, shape)
    return x * inv + shift


def feature_shape(x, axis):
    """Sorted normalized axes and the shape that broadcasts a per-feature parameter over `x`."""
    axes = sorted(a % x.ndim for a in ([axis] if isinstance(axis, int) else axis))
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    return axes, shape


def broadcast_parameter(v, x, axes, shape):
    """`v` reshaped to broadcast along `axes` unless it already has `x`'s rank (or axes is last)."""
    if v is None:
        return None
    v = jnp.asarray(v, x.dtype)
    if v.ndim != x.ndim and axes != [x.ndim - 1]:
        return v.reshape(shape)
    return v


@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Layer normalization: zero mean and unit variance over `axis`, then `gamma` and `beta`.

    Args:
        x: Input tensor.
        gamma: Optional scale tensor.
        beta: Optional offset tensor.
        axis: Int or sequence of ints, the axes to normalize over.
        epsilon: Added to the variance; default `kernelkit.config.epsilon()`.
        **kwargs: `rms_scaling=True` (deprecated in Keras) scales by the variance only.

    Returns:
        A tensor of `x`'s shape and dtype (computed in at least float32).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> [round(v, 3) for v in ops.layer_normalization(np.array([1.0, 3.0])).tolist()]
        [-1.0, 1.0]
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    eps = default_epsilon() if epsilon is None else epsilon
    original = jnp.asarray(x)
    x = original.astype(compute_dtype(original))
    axes, shape = feature_shape(x, axis)
    gamma = broadcast_parameter(gamma, x, axes, shape)
    beta = broadcast_parameter(beta, x, axes, shape)
    if rms_scaling:
        out = x * jax.lax.rsqrt(jnp.var(x, axis=axes, keepdims=True) + eps)
        out = out if gamma is None else out * gamma
        return keep_dtype_of(original, out)
    mean, variance = jnp.mean(x, axis=axes, keepdims=True), jnp.var(x, axis=axes, keepdims=True)
    inv = jax.lax.rsqrt(variance + eps)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return keep_dtype_of(original, x * inv + shift)


@keras_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalization (Zhang & Sennrich, 2019): `x / rms(x) * scale`.

    Args:
        x: Input tensor.
        scale: Optional scale tensor.
        axis: Int or sequence of ints, the axes to normalize over.
        epsilon: Added to the mean square; default `kernelkit.config.epsilon()`.

    Returns:
        A tensor of `x`'s shape and dtype (computed in at least float32).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> [round(v, 3) for v in ops.rms_normalization(np.array([3.0, 3.0])).tolist()]
        [1.0, 1.0]
    """
    eps = default_epsilon() if epsilon is None else epsilon
    original = jnp.asarray(x)
    x = original.astype(compute_dtype(original))
    if isinstance(axis, list | tuple):
        axis = tuple(sorted(axis))
    if x.ndim == 0:
        x = x[None]
    out = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=axis, keepdims=True) + eps)
    if scale is not None:
        out = out * jnp.asarray(scale, x.dtype)
    return keep_dtype_of(original, out)


@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    """Divides `x` by its `order`-norm along `axis` (at least `epsilon`).

    Args:
        x: Input tensor.
        axis: Int or tuple of ints, the axes of the norm.
        order: Int >= 1, the order of the norm.
        epsilon: Lower bound of the norm; default `kernelkit.config.epsilon()`.

    Returns:
        The normalized tensor.

    Raises:
        ValueError: When `order` is not an int >= 1.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.normalize(np.array([3.0, 4.0])).tolist()
        [0.6000000238418579, 0.800000011920929]
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(
            f"normalize: invalid order. Expected an int >= 1. Received: order={order!r}. "
            "Pass e.g. order=2 for the Euclidean norm.")
    x = jnp.asarray(x)
    if x.ndim == 0:
        x = x[None]
    eps = default_epsilon() if epsilon is None else epsilon
    if order == 2:
        inv = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inv, 1.0 / eps)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, eps)
