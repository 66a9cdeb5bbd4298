"""Shrinking and clipping activations of `keras.ops.nn`: hard/soft/tanh shrink, hard_tanh, threshold."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["hard_shrink", "hard_tanh", "soft_shrink", "tanh_shrink", "threshold"]


@keras_op
def tanh_shrink(x):
    """Tanh shrink, `x - tanh(x)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.tanh_shrink(np.array([0.0])).tolist()
        [0.0]
    """
    x = jnp.asarray(x)
    return x - jnp.tanh(x)


@keras_op
def soft_shrink(x, threshold=0.5):
    """Soft shrink: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: The half-width of the zero band.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.soft_shrink(np.array([-1.0, 0.2, 1.0])).tolist()
        [-0.5, 0.0, 0.5]
    """
    x = jnp.asarray(x)
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


@keras_op
def hard_tanh(x):
    """Hard tanh, `clip(x, -1, 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.hard_tanh(np.array([-3.0, 0.5, 3.0])).tolist()
        [-1.0, 0.5, 1.0]
    """
    return jax.nn.hard_tanh(jnp.asarray(x))


@keras_op
def hard_shrink(x, threshold=0.5):
    """Hard shrink: `x` where `|x| > threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: The half-width of the zero band.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.hard_shrink(np.array([-1.0, 0.2, 1.0])).tolist()
        [-1.0, 0.0, 1.0]
    """
    x = jnp.asarray(x)
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


@keras_op
def threshold(x, threshold, default_value):
    """Keeps `x` where it is greater than `threshold`, `default_value` elsewhere.

    Args:
        x: Input tensor.
        threshold: The value to compare against.
        default_value: The value put where `x <= threshold`.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.threshold(np.array([-1.0, 2.0]), 0.0, 9.0).tolist()
        [9.0, 2.0]
    """
    x = jnp.asarray(x)
    return jnp.where(x > threshold, x, default_value)
