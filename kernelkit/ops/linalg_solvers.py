"""Linear-algebra inverses and solvers: `inv`, `pinv`, `cholesky_inverse`, `solve`, `lstsq`."""

from __future__ import annotations

import jax.numpy as jnp
import jax.scipy as jsp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.linalg_checks import matrix, right_hand_side

__all__ = ["cholesky_inverse", "inv", "lstsq", "pinv", "solve", "solve_triangular"]


@keras_op
def cholesky_inverse(x, upper=False):
    """The inverse of a matrix given its Cholesky factor.

    Args:
        x: A `(N, N)` triangular Cholesky factor.
        upper: Whether `x` is the upper factor `U` (else the lower factor `L`).

    Returns:
        The inverse of `L L^T` (or of `U^T U`).

    Example:
        >>> import numpy as np
        >>> cholesky_inverse(np.array([[2.0, 0.0], [1.0, 1.0]])).tolist()
        [[0.5, -0.5], [-0.5, 1.0]]
    """
    x = matrix("cholesky_inverse", x, square=True)
    identity = jnp.eye(x.shape[-1], dtype=x.dtype)
    inv_factor = jsp.linalg.solve_triangular(x, identity, lower=not upper)
    if upper:
        return jnp.matmul(inv_factor, jnp.transpose(inv_factor))
    return jnp.matmul(jnp.transpose(inv_factor), inv_factor)


@keras_op
def inv(x):
    """The inverse of each square matrix in `x`.

    Args:
        x: A `(..., N, N)` invertible array.

    Returns:
        An array like `x`.

    Example:
        >>> import numpy as np
        >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    return jnp.linalg.inv(matrix("inv", x, square=True))


@keras_op
def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse of each matrix in `x`.

    Args:
        x: A `(..., M, N)` array.
        rcond: Singular values at most `rcond` times the largest are set to zero (None:
            JAX's default).

    Returns:
        An array of shape `(..., N, M)`.

    Example:
        >>> import numpy as np
        >>> a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        >>> bool(np.allclose(pinv(a) @ a, np.eye(2), atol=1e-4))
        True
    """
    return jnp.linalg.pinv(matrix("pinv", x), rtol=rcond)


@keras_op
def solve(a, b):
    """Solves `a @ x = b` for `x`.

    Args:
        a: A `(..., N, N)` invertible array.
        b: A `(..., N)` or `(..., N, K)` array.

    Returns:
        `x`, shaped like `b`.

    Example:
        >>> import numpy as np
        >>> solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 2.0])).tolist()
        [1.0, 0.5]
    """
    a = matrix("solve", a, square=True, arg="a")
    return jnp.linalg.solve(a, right_hand_side("solve", a, b))


@keras_op
def solve_triangular(a, b, lower=False):
    """Solves `a @ x = b` for a triangular `a`.

    Args:
        a: A `(..., N, N)` triangular array (only its `lower` or upper triangle is read).
        b: A `(..., N)` or `(..., N, K)` array.
        lower: Use the lower triangle of `a` (default: the upper one).

    Returns:
        `x`, shaped like `b`.

    Example:
        >>> import numpy as np
        >>> solve_triangular(np.array([[1.0, 0.0], [1.0, 2.0]]), np.array([1.0, 3.0]),
        ...                  lower=True).tolist()
        [1.0, 1.0]
    """
    a = matrix("solve_triangular", a, square=True, arg="a")
    return jsp.linalg.solve_triangular(a, right_hand_side("solve_triangular", a, b),
                                       lower=lower)


@keras_op
def lstsq(a, b, rcond=None):
    """The least-squares solution `x` of `a @ x ≈ b`.

    Args:
        a: A `(M, N)` array.
        b: A `(M,)` or `(M, K)` array.
        rcond: Singular values at most `rcond` times the largest count as zero (None: the
            default of `jax.numpy.linalg.lstsq`).

    Returns:
        `x`, of shape `(N,)` or `(N, K)`.

    Example:
        >>> import numpy as np
        >>> lstsq(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), np.array([1.0, 2.0, 5.0])
        ...       ).tolist()
        [1.0, 2.0]
    """
    return jnp.linalg.lstsq(jnp.asarray(a), jnp.asarray(b), rcond=rcond)[0]
