"""`kernelkit.ops.linalg` against `keras.ops.linalg`: values, shapes, dtypes and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.ops import linalg
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 3)).astype("float32")
SPD = (A @ A.T + 3 * np.eye(3)).astype("float32")
BATCH = RNG.normal(size=(2, 3, 3)).astype("float32")
TALL = RNG.normal(size=(4, 3)).astype("float32")
B = RNG.normal(size=(3,)).astype("float32")
B2 = RNG.normal(size=(3, 2)).astype("float32")
LOWER = np.tril(A) + 3 * np.eye(3, dtype="float32")

CASES = {
    "cholesky": ("cholesky", (SPD,), {}),
    "cholesky_upper": ("cholesky", (SPD,), {"upper": True}),
    "cholesky_inverse": ("cholesky_inverse", (np.linalg.cholesky(SPD),), {}),
    "cholesky_inverse_upper": ("cholesky_inverse", (np.linalg.cholesky(SPD).T,), {"upper": True}),
    "det": ("det", (A,), {}),
    "det_batch": ("det", (BATCH,), {}),
    "eig": ("eig", (A,), {}),
    "eigh": ("eigh", (SPD,), {}),
    "inv": ("inv", (BATCH,), {}),
    "lu_factor": ("lu_factor", (A,), {}),
    "lu_factor_batch": ("lu_factor", (BATCH,), {}),
    "norm": ("norm", (A,), {}),
    "norm_int": ("norm", (np.array([3, 4], "int32"),), {}),
    "norm_axis": ("norm", (BATCH,), {"ord": 1, "axis": -1, "keepdims": True}),
    "norm_nuc": ("norm", (A,), {"ord": "nuc"}),
    "norm_inf_matrix": ("norm", (BATCH,), {"ord": np.inf, "axis": (1, 2)}),
    "qr": ("qr", (TALL,), {}),
    "qr_complete": ("qr", (TALL,), {"mode": "complete"}),
    "solve": ("solve", (A, B), {}),
    "solve_matrix": ("solve", (A, B2), {}),
    "solve_triangular": ("solve_triangular", (LOWER, B2), {"lower": True}),
    "solve_triangular_upper": ("solve_triangular", (LOWER.T, B), {}),
    "svd": ("svd", (TALL,), {}),
    "svd_reduced": ("svd", (TALL,), {"full_matrices": False}),
    "svd_values": ("svd", (BATCH,), {"compute_uv": False}),
    "lstsq": ("lstsq", (TALL, RNG.normal(size=(4,)).astype("float32")), {}),
    "matrix_rank": ("matrix_rank", (np.array([[1.0, 2.0], [2.0, 4.0]], "float32"),), {}),
    "matrix_rank_tol": ("matrix_rank", (BATCH,), {"tol": 0.5}),
    "pinv": ("pinv", (TALL,), {}),
    "pinv_rcond": ("pinv", (TALL,), {"rcond": 0.5}),
}


def _leaves(out):
    return [np.asarray(o) for o in keras.tree.flatten(out)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_match_keras(case):
    name, args, kwargs = CASES[case]
    ours = getattr(linalg, name)(*args, **kwargs)
    theirs = getattr(keras.ops.linalg, name)(*args, **kwargs)
    assert type(ours) is type(theirs) or not isinstance(theirs, tuple | list)
    for a, b in zip(_leaves(ours), _leaves(theirs), strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", ["det_batch", "inv", "qr", "svd_values", "solve_matrix",
                                  "norm_axis", "lu_factor", "eigh"])
def test_symbolic_shapes_match_keras(case):
    name, args, kwargs = CASES[case]
    ours = getattr(linalg, name)(*[kk.Input(a.shape[1:], batch_size=a.shape[0]) for a in args],
                                 **kwargs)
    theirs = getattr(keras.ops.linalg, name)(
        *[keras.Input(a.shape[1:], batch_size=a.shape[0]) for a in args], **kwargs)
    assert [tuple(t.shape) for t in keras.tree.flatten(ours)] == [
        tuple(t.shape) for t in keras.tree.flatten(theirs)]


def test_ops_are_also_at_the_ops_top_level():
    for name in linalg.__all__:
        assert getattr(kk.ops, name) is getattr(linalg, name)
    assert sorted(linalg.__all__) == sorted(n for n in dir(keras.ops.linalg)
                                            if not n.startswith("_"))


@pytest.mark.parametrize("name,args", [
    ("det", (np.ones((2, 3), "float32"),)),
    ("inv", (np.ones(3, "float32"),)),
    ("cholesky", (np.ones((2, 3), "float32"),)),
    ("solve", (A, np.ones(4, "float32"))),
    ("solve_triangular", (A, np.float32(1.0))),
    ("svd", (np.ones(3, "float32"),)),
    ("pinv", (np.ones(3, "float32"),)),
    ("matrix_rank", (np.ones(3, "float32"),)),
])
def test_bad_shapes_raise_value_error_like_keras(name, args):
    with pytest.raises(ValueError):
        getattr(keras.ops.linalg, name)(*args)
    with pytest.raises(ValueError, match=f"ops.{name}: .*Received"):
        getattr(linalg, name)(*args)


def test_cholesky_of_a_non_positive_definite_matrix_fails_like_keras():
    bad = np.array([[1.0, 2.0], [2.0, 1.0]], "float32")
    with pytest.raises(ValueError):
        keras.ops.linalg.cholesky(bad)
    with pytest.raises(ValueError, match="ops.cholesky: the Cholesky decomposition failed"):
        linalg.cholesky(bad)
    jax.jit(linalg.cholesky)(bad)  # traced: no eager check, NaNs as in Keras


def test_qr_rejects_unknown_modes():
    with pytest.raises(ValueError, match="ops.qr: unknown `mode`"):
        linalg.qr(A, mode="r")


def test_jvp_matches_keras_with_and_without_aux():
    x, t = jnp.array([0.1, 0.2]), jnp.array([1.0, 0.5])
    ours = linalg.jvp(jnp.sin, (x,), (t,))
    theirs = keras.ops.linalg.jvp(keras.ops.sin, (x,), (t,))
    for a, b in zip(_leaves(ours), _leaves(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)

    def with_aux(v):
        return jnp.sum(v**2), {"mean": jnp.mean(v)}

    out, tangent, aux = linalg.jvp(with_aux, [x], [t], has_aux=True)
    np.testing.assert_allclose(float(tangent), float(2 * (x * t).sum()), rtol=1e-6)
    np.testing.assert_allclose(float(aux["mean"]), 0.15, rtol=1e-6)


def test_linalg_ops_inside_a_functional_model():
    inputs = kk.Input((3, 3))
    model = kk.Model(inputs, linalg.det(inputs))
    np.testing.assert_allclose(np.asarray(model(BATCH)), np.linalg.det(BATCH), rtol=1e-4)
