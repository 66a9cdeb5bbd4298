"""Activation ops of `keras.ops.nn`: relu, sigmoid, gelu and the other elementwise maps."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["celu", "elu", "gelu", "hard_sigmoid", "hard_silu", "hard_swish", "leaky_relu",
           "log_sigmoid", "relu", "relu6", "selu", "sigmoid", "silu", "softplus", "softsign",
           "sparse_plus", "sparse_sigmoid", "squareplus", "swish"]


@keras_op
def relu(x):
    """Rectified linear unit, `max(x, 0)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.relu(np.array([-1.0, 0.0, 2.0])).tolist()
        [0.0, 0.0, 2.0]
    """
    return jax.nn.relu(jnp.asarray(x))


@keras_op
def relu6(x):
    """Rectified linear unit capped at 6, `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.relu6(np.array([-1.0, 3.0, 8.0])).tolist()
        [0.0, 3.0, 6.0]
    """
    return jax.nn.relu6(jnp.asarray(x))


@keras_op
def sigmoid(x):
    """Logistic sigmoid, `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.sigmoid(np.array([0.0])).tolist()
        [0.5]
    """
    return jax.nn.sigmoid(jnp.asarray(x))


@keras_op
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -1, `(x + 1) / 2` on [-1, 1], 1 above 1.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.sparse_sigmoid(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jax.nn.sparse_sigmoid(jnp.asarray(x))


@keras_op
def softplus(x):
    """Softplus, `log(1 + exp(x))`.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.softplus(np.array(0.0))), 4)
        0.6931
    """
    return jax.nn.softplus(jnp.asarray(x))


@keras_op
def softsign(x):
    """Softsign, `x / (|x| + 1)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.softsign(np.array([1.0, -3.0])).tolist()
        [0.5, -0.75]
    """
    return jax.nn.soft_sign(jnp.asarray(x))


@keras_op
def sparse_plus(x):
    """SparsePlus: 0 below -1, `(x + 1)**2 / 4` on [-1, 1], `x` above 1.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.sparse_plus(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    return jax.nn.sparse_plus(jnp.asarray(x))


@keras_op
def silu(x):
    """Sigmoid linear unit (swish), `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.silu(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.nn.silu(jnp.asarray(x))


@keras_op
def swish(x):
    """Swish, `x * sigmoid(x)`: the same function as `silu`.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.swish(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.nn.silu(jnp.asarray(x))


@keras_op
def squareplus(x, b=4):
    """Squareplus, `(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness of the curve near 0.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.squareplus(np.array([0.0])).tolist()
        [1.0]
    """
    return jax.nn.squareplus(jnp.asarray(x), b=b)


@keras_op
def log_sigmoid(x):
    """Logarithm of the sigmoid, `-softplus(-x)`.

    Args:
        x: Input tensor.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> round(float(ops.log_sigmoid(np.array(0.0))), 4)
        -0.6931
    """
    return jax.nn.log_sigmoid(jnp.asarray(x))


@keras_op
def leaky_relu(x, negative_slope=0.2):
    """Leaky ReLU: `x` for positive `x`, `negative_slope * x` otherwise.

    Args:
        x: Input tensor.
        negative_slope: The slope for negative inputs.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.leaky_relu(np.array([-1.0, 1.0]), negative_slope=0.5).tolist()
        [-0.5, 1.0]
    """
    return jax.nn.leaky_relu(jnp.asarray(x), negative_slope=negative_slope)


@keras_op
def hard_sigmoid(x):
    """Hard sigmoid, `relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.hard_sigmoid(np.array([-4.0, 0.0, 4.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jax.nn.hard_sigmoid(jnp.asarray(x))


@keras_op
def hard_silu(x):
    """Hard SiLU (hard swish), `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.hard_silu(np.array([-4.0, 0.0, 4.0])).tolist()
        [-0.0, 0.0, 4.0]
    """
    return jax.nn.hard_silu(jnp.asarray(x))


@keras_op
def hard_swish(x):
    """Hard swish, `x * relu6(x + 3) / 6`: the same function as `hard_silu`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.hard_swish(np.array([0.0, 4.0])).tolist()
        [0.0, 4.0]
    """
    return jax.nn.hard_silu(jnp.asarray(x))


@keras_op
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for positive `x`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: Input tensor.
        alpha: The scale of the negative part.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.elu(np.array([0.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    return jax.nn.elu(jnp.asarray(x), alpha=alpha)


@keras_op
def selu(x):
    """Scaled exponential linear unit, with Klambauer et al.'s fixed `alpha` and `scale`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.selu(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.nn.selu(jnp.asarray(x))


@keras_op
def gelu(x, approximate=True):
    """Gaussian error linear unit, `x * Phi(x)` (the tanh approximation by default).

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation instead of the exact `erf` form.

    Returns:
        A floating tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.gelu(np.array([0.0])).tolist()
        [0.0]
    """
    return jax.nn.gelu(jnp.asarray(x), approximate)


@keras_op
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(x, 0) + alpha * min(0, exp(x / alpha) - 1)`.

    Args:
        x: Input tensor.
        alpha: The scale of the negative part.

    Returns:
        A tensor of the same shape as `x`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.celu(np.array([0.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    return jax.nn.celu(jnp.asarray(x), alpha=alpha)
