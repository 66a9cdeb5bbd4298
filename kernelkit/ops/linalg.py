"""Linear algebra (`keras.ops.linalg`): decompositions, solvers, norms, `jvp`.

The inverses and solvers live in `kernelkit.ops.linalg_solvers` and are gathered here.

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
from kernelkit.ops import linalg_solvers
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.dtypes import result_type, standardize_dtype
from kernelkit.ops.linalg_checks import eager_nan_check, matrix
from kernelkit.ops.linalg_solvers import *  # noqa: F403

__all__ = sorted(["cholesky", "det", "eig", "eigh", "jvp", "lu_factor", "matrix_rank", "norm",
                  "qr", "svd"] + linalg_solvers.__all__)


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
    x = matrix("cholesky", x, square=True)
    return eager_nan_check(jnp.linalg.cholesky(x, upper=upper), "cholesky",
                            "the Cholesky decomposition")


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
    return jnp.linalg.det(matrix("det", x, square=True))


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
    return jnp.linalg.eig(matrix("eig", x, square=True))


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
    return jnp.linalg.eigh(matrix("eigh", x, square=True))


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
    x = matrix("lu_factor", x)
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
    return jnp.linalg.svd(matrix("svd", x), full_matrices=full_matrices,
                          compute_uv=compute_uv)


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
    return jnp.linalg.matrix_rank(matrix("matrix_rank", x), tol).astype("int32")


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
