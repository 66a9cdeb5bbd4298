"""`to_categorical` (class ids to one-hot rows) and `normalize` (unit-norm rows)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit import config

__all__ = ["normalize", "to_categorical"]


def to_categorical(x, num_classes=None):
    """Converts integer class ids to one-hot rows (the class axis last).

    A trailing axis of size 1 is dropped first, as Keras does. NumPy-like input gives a
    float64 NumPy array; a JAX array gives a float32 JAX array.

    Args:
        x: Array-like of class ids in `[0, num_classes)`.
        num_classes: The number of classes; `None` means `max(x) + 1`.

    Returns:
        An array of shape `x.shape + (num_classes,)`.

    Example:
        >>> to_categorical([0, 2, 1], num_classes=3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]])
    """
    if isinstance(x, jax.Array):
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.reshape(x.shape[:-1])
        return jax.nn.one_hot(x, num_classes if num_classes else int(x.max()) + 1)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(flat)) + 1
    out = np.zeros((flat.shape[0], num_classes))
    out[np.arange(flat.shape[0]), flat] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit `order`-norm along `axis` (zero vectors stay zero).

    Args:
        x: A NumPy array (gives NumPy) or a JAX array (gives JAX).
        axis: The axis to normalize along.
        order: The norm's order (`2` for Euclidean).

    Returns:
        The normalized array.

    Raises:
        ValueError: for a JAX array with an `order` that is not an int >= 1.

    Example:
        >>> import numpy as np
        >>> normalize(np.array([[3.0, 4.0]]))
        array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis or -1)
    if not isinstance(order, int) or order < 1:
        raise ValueError(
            "normalize: `order` must be an integer >= 1 for JAX arrays (as in Keras). "
            f"Expected an int >= 1. Received: order={order!r}. Pass a NumPy array for other "
            "norms."
        )
    x = jnp.asarray(x)
    eps = config.epsilon()
    if order == 2:  # as Keras: x * min(rsqrt(sum(x^2)), 1/eps)
        inv = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inv, 1.0 / eps)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, eps)
