"""Normalizing activations of `keras.ops.nn`: softmax, log_softmax, sparsemax, and the gated glu."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["glu", "log_softmax", "softmax", "sparsemax"]


@keras_op
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in two along `axis`, returns `a * sigmoid(b)`.

    Args:
        x: Input tensor; its size along `axis` must be even.
        axis: The axis to split.

    Returns:
        A tensor whose size along `axis` is half of `x`'s.

    Raises:
        ValueError: When the size of `x` along `axis` is odd.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.glu(np.array([[2.0, 0.0]])).tolist()
        [[1.0]]
    """
    x = jnp.asarray(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"glu: the size of `x` along axis {axis} is odd. Expected an even size, to split in "
            f"two halves. Received: x.shape={x.shape}. Pass a tensor with an even size there.")
    return jax.nn.glu(x, axis=axis)


@keras_op
def softmax(x, axis=-1):
    """Softmax, `exp(x) / sum(exp(x))` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis (or tuple of axes) to normalize over.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.softmax(np.array([0.0, 0.0])).tolist()
        [0.5, 0.5]
    """
    return jax.nn.softmax(jnp.asarray(x), axis=axis)


@keras_op
def log_softmax(x, axis=-1):
    """Log-softmax, `x - logsumexp(x)` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis (or tuple of axes) to normalize over.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> [round(v, 4) for v in ops.log_softmax(np.array([0.0, 0.0])).tolist()]
        [-0.6931, -0.6931]
    """
    return jax.nn.log_softmax(jnp.asarray(x), axis=axis)


@keras_op
def sparsemax(x, axis=-1):
    """Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of `x` onto the simplex.

    Args:
        x: Input tensor.
        axis: The axis to normalize over.

    Returns:
        A tensor of the same shape as `x`, non-negative, summing to 1 along `axis`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.sparsemax(np.array([3.0, 1.0, 0.0])).tolist()
        [1.0, 0.0, 0.0]
    """
    x = jnp.asarray(x)
    ranked = -jnp.sort(x * -1.0, axis=axis)  # descending along `axis` (bool inputs too)
    cumulative = jnp.cumsum(ranked, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = jnp.arange(1, x.shape[axis] + 1).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    count = jnp.sum(support, axis=axis, keepdims=True)
    tau = (jnp.sum(jnp.where(support, cumulative, 0.0), axis=axis, keepdims=True) - 1) / count
    return jnp.maximum(x - tau, 0.0)
