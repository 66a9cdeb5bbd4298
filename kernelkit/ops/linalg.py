"""Linear algebra (`keras.ops.linalg`): decompositions, solvers, norms, `jvp`.

Each op checks its inputs as Keras does (matrices of rank >= 2, square where needed) and
computes with `jax.numpy.linalg` / `jax.scipy.linalg`, on arrays and on symbolic tensors.

Example:
    >>> import numpy as np
    >>> from kernelkit.ops import linalg
    >>> float(linalg.det(np.array([[2.0, 0.0], [0.0, 3.0]])))
    6.0
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy as jsp

from kernelkit import config
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import result_type, standardize_dtype

__all__ = ["cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
           "lu_factor", "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd"]


def _matrix(op: str, x, square: bool = False, arg: str = "x"):
    """`x` as an array of rank >= 2 (and square when asked), else a ValueError naming `op`."""
    x = jnp.asarray(x)
    if x.ndim < 2:
        raise ValueError(
            f"ops.{op}: `{arg}` must have rank >= 2. Expected a matrix or a batch of "
            f"matrices. Received: {arg} of shape {tuple(x.shape)}. Add the missing axes."
        )
    if square and x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"ops.{op}: `{arg}` must be square. Expected shape (..., N, N). Received: "
            f"{arg} of shape {tuple(x.shape)}."
        )
    return x


def _right_hand_side(op: str, a, b):
    """`b` checked against `a` as Keras checks it: rank >= 1 and a matching leading size."""
    b = jnp.asarray(b)
    if b.ndim < 1:
        raise ValueError(
            f"ops.{op}: `b` must have rank >= 1. Expected a vector or a matrix. Received: b "
            "of shape ()."
        )
    axis = -2 if a.ndim == b.ndim else -1
    if a.ndim in (b.ndim, b.ndim + 1) and a.shape[axis] != b.shape[axis]:
        raise ValueError(
            f"ops.{op}: incompatible shapes of `a` and `b`. Expected a.shape[{axis}] == "
            f"b.shape[{axis}]. Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}."
        )
    return b


def _eager_nan_check(out, op: str, what: str):
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError(
            f"ops.{op}: {what} failed. Expected a symmetric positive definite matrix. "
            "Received: a matrix whose factorization has NaNs. Check that the input is "
            "symmetric with positive eigenvalues."
        )
    return out


@keras_op
def cholesky(x, upper=False):
    """The Cholesky factor of a symmetric positive definite matrix (lower unless `upper`).

    Args:
        x: A `(..., N, N)` symmetric positive definite array.
        upper: Return the upper-triangular factor `U` (`x = U^T U`) instead of `L`.

    Returns:
        The `(..., N, N)` triangular factor.

    Raises:
        ValueError: if `x` is not square, or (eagerly) not positive definite.

    Example:
        >>> import numpy as np
        >>> cholesky(np.array([[4.0, 2.0], [2.0, 2.0]])).tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    x = _matrix("cholesky", x, square=True)
    return _eager_nan_check(jnp.linalg.cholesky(x, upper=upper), "cholesky",
                            "the Cholesky decomposition")


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
    x = _matrix("cholesky_inverse", x, square=True)
    identity = jnp.eye(x.shape[-1], dtype=x.dtype)
    inv_factor = jsp.linalg.solve_triangular(x, identity, lower=not upper)
    if upper:
        return jnp.matmul(inv_factor, jnp.transpose(inv_factor))
    return jnp.matmul(jnp.transpose(inv_factor), inv_factor)


@keras_op
def det(x):
    """The determinant of each square matrix in `x`.

    Args:
        x: A `(..., N, N)` array.

    Returns:
        An array of shape `(...)`.

    Example:
        >>> import numpy as np
        >>> float(det(np.array([[1.0, 2.0], [3.0, 4.0]])))
        -2.0
    """
    return jnp.linalg.det(_matrix("det", x, square=True))


@keras_op
def eig(x):
    """The eigenvalues and eigenvectors of a general square matrix (complex in general).

    Args:
        x: A `(..., N, N)` array.

    Returns:
        A tuple `(eigenvalues, eigenvectors)`, the vectors as columns.

    Example:
        >>> import numpy as np
        >>> w, v = eig(np.diag([1.0, 2.0]))
        >>> w.real.tolist()
        [1.0, 2.0]
    """
    return jnp.linalg.eig(_matrix("eig", x, square=True))


@keras_op
def eigh(x):
    """The eigenvalues (ascending) and eigenvectors of a symmetric / Hermitian matrix.

    Args:
        x: A `(..., N, N)` symmetric array.

    Returns:
        A tuple `(eigenvalues, eigenvectors)`, the vectors as columns.

    Example:
        >>> import numpy as np
        >>> w, v = eigh(np.array([[2.0, 0.0], [0.0, 1.0]]))
        >>> w.tolist()
        [1.0, 2.0]
    """
    return jnp.linalg.eigh(_matrix("eigh", x, square=True))


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
    return jnp.linalg.inv(_matrix("inv", x, square=True))


@keras_op
def lu_factor(x):
    """The LU factorization with partial pivoting of each matrix in `x`.

    Args:
        x: A `(..., M, N)` array.

    Returns:
        A tuple `(lu, pivots)`: `L` (unit diagonal, not stored) and `U` packed in one array,
        and the row interchanges as `int32` indices.

    Example:
        >>> import numpy as np
        >>> lu, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> piv.tolist()
        [1, 1]
    """
    x = _matrix("lu_factor", x)
    factor = jsp.linalg.lu_factor
    for _ in range(x.ndim - 2):
        factor = jax.vmap(factor)
    return factor(x)


@keras_op
def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002  (Keras's argument name)
    """A vector or matrix norm (`ord` as in `numpy.linalg.norm`).

    Integer and boolean inputs are cast to a float first, as Keras casts them.

    Args:
        x: The array.
        ord: The order: None (2-norm / Frobenius), an int, `inf`, `-inf`, `"fro"`, `"nuc"`.
        axis: None (the whole array as a vector, or as a matrix when 2-D), an int (vector
            norms along it) or a pair of ints (matrix norms over them).
        keepdims: Keep the reduced axes with size one.

    Returns:
        The norm(s).

    Example:
        >>> import numpy as np
        >>> float(norm(np.array([3, 4])))
        5.0
    """
    x = jnp.asarray(x)
    if standardize_dtype(x.dtype) == "int64":
        dtype = config.floatx()
    else:
        dtype = result_type(x.dtype, float)
    return jnp.linalg.norm(x.astype(dtype), ord=ord, axis=axis, keepdims=keepdims)


@keras_op
def qr(x, mode="reduced"):
    """The QR decomposition of each matrix in `x`.

    Args:
        x: A `(..., M, N)` array.
        mode: `"reduced"` (`Q` is `(M, K)`, `K = min(M, N)`) or `"complete"` (`Q` is `(M, M)`).

    Returns:
        A tuple `(q, r)`.

    Raises:
        ValueError: for another `mode`.

    Example:
        >>> import numpy as np
        >>> q, r = qr(np.ones((3, 2)))
        >>> q.shape, r.shape
        ((3, 2), (2, 2))
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(
            "ops.qr: unknown `mode`. Expected one of {'reduced', 'complete'}. "
            f"Received: mode={mode!r}."
        )
    return jnp.linalg.qr(jnp.asarray(x), mode=mode)


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
    a = _matrix("solve", a, square=True, arg="a")
    return jnp.linalg.solve(a, _right_hand_side("solve", a, b))


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
    a = _matrix("solve_triangular", a, square=True, arg="a")
    return jsp.linalg.solve_triangular(a, _right_hand_side("solve_triangular", a, b),
                                       lower=lower)


@keras_op
def svd(x, full_matrices=True, compute_uv=True):
    """The singular value decomposition `x = u @ diag(s) @ vh`.

    Args:
        x: A `(..., M, N)` array.
        full_matrices: Return square `u` `(M, M)` and `vh` `(N, N)` (else reduced ones).
        compute_uv: Return `(u, s, vh)`; when False, only `s`.

    Returns:
        `(u, s, vh)`, or `s` alone; `s` is in descending order.

    Example:
        >>> import numpy as np
        >>> svd(np.diag([1.0, 3.0]), compute_uv=False).tolist()
        [3.0, 1.0]
    """
    return jnp.linalg.svd(_matrix("svd", x), full_matrices=full_matrices,
                          compute_uv=compute_uv)


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


@keras_op
def matrix_rank(x, tol=None):
    """The rank of each matrix in `x` (singular values above `tol` counted).

    Args:
        x: A `(..., M, N)` array.
        tol: The threshold (None: JAX's default, based on the largest singular value).

    Returns:
        `int32` ranks of shape `(...)`.

    Example:
        >>> import numpy as np
        >>> int(matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])))
        1
    """
    return jnp.linalg.matrix_rank(_matrix("matrix_rank", x), tol).astype("int32")


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
    return jnp.linalg.pinv(_matrix("pinv", x), rtol=rcond)


@keras_op
def jvp(fun, primals, tangents, has_aux=False):
    """The Jacobian-vector product of `fun` at `primals` along `tangents` (forward mode).

    Args:
        fun: A function of arrays (or nested structures of arrays).
        primals: A tuple or list of the arguments of `fun`.
        tangents: Directions, with the structure and shapes of `primals`.
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned unchanged.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)` with `has_aux`.

    Example:
        >>> import jax.numpy as jnp
        >>> out, tangent = jvp(jnp.sin, (jnp.array(0.0),), (jnp.array(2.0),))
        >>> float(out), float(tangent)
        (0.0, 2.0)
    """
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
