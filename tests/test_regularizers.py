"""Regularizers: penalties vs Keras 3, get with Keras's names and dicts, configs, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from keras.src.regularizers import ALL_OBJECTS_DICT as KERAS_REGULARIZERS

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import IdentifierTypeError, register_keras_serializable
from tests.keras_oracle import keras

R = kk.regularizers

WEIGHTS = [
    np.random.default_rng(0).normal(size=(5, 3)).astype("float32"),
    np.random.default_rng(1).normal(size=(3, 5)).astype("float32"),
    np.array([[1.0, 0.0], [0.0, 0.0], [3.0, -4.0]], "float32"),  # a zero row
    np.random.default_rng(2).normal(size=(2, 3, 4)).astype("float32"),
]

CASES = [
    ("L1", {}), ("L1", {"l1": 0.5}), ("L2", {}), ("L2", {"l2": 0.3}), ("L1L2", {}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}), ("L1L2", {"l1": 0.1}), ("L1L2", {"l2": None}),
    ("L1", {"l1": None}), ("L2", {"l2": 0}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("w", WEIGHTS, ids=["5x3", "3x5", "zero-row", "rank3"])
def test_penalty_matches_keras(name, kwargs, w):
    ours = getattr(R, name)(**kwargs)(jnp.asarray(w))
    theirs = getattr(keras.regularizers, name)(**kwargs)(jnp.asarray(w))
    assert ours.dtype == theirs.dtype and ours.shape == ()
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kwargs", [{}, {"factor": 0.5}, {"factor": 2.0, "mode": "columns"}])
@pytest.mark.parametrize("w", WEIGHTS[:3], ids=["5x3", "3x5", "zero-row"])
def test_orthogonal_regularizer_matches_keras(kwargs, w):
    ours = R.OrthogonalRegularizer(**kwargs)(jnp.asarray(w))
    theirs = keras.regularizers.OrthogonalRegularizer(**kwargs)(jnp.asarray(w))  # a tensor:
    # Keras takes a NumPy-only path for NumPy input
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5, atol=1e-7)


def test_orthogonal_regularizer_is_zero_on_orthogonal_rows():
    q = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))[0].astype("float32")
    assert float(R.OrthogonalRegularizer(1.0)(q)) < 1e-6


def test_bfloat16_penalty_keeps_dtype_like_keras():
    w = jnp.asarray(WEIGHTS[0], "bfloat16")
    for name in ["L1", "L2", "L1L2"]:
        assert getattr(R, name)(0.1)(w).dtype == getattr(keras.regularizers, name)(0.1)(w).dtype


def test_penalties_work_under_jit_and_grad():
    reg = R.L1L2(l1=0.1, l2=0.2)
    w = jnp.asarray(WEIGHTS[0])
    np.testing.assert_allclose(jax.jit(reg)(w), reg(w), rtol=1e-6)
    np.testing.assert_allclose(jax.grad(reg)(w), 0.1 * np.sign(w) + 0.4 * w, rtol=1e-5)


def test_every_keras_name_resolves_to_the_same_class():
    for name, cls in KERAS_REGULARIZERS.items():
        assert type(R.get(name)).__name__ == cls.__name__, name
    assert isinstance(R.get("l1_l2"), R.L1L2)  # keras.regularizers.l1_l2, the public alias
    assert R.l1 is R.L1 and R.l2 is R.L2 and R.l1_l2 is R.L1L2


@pytest.mark.parametrize("keras_reg", [
    keras.regularizers.L1(0.3), keras.regularizers.L2(0.2), keras.regularizers.L1L2(0.1, 0.2),
    keras.regularizers.OrthogonalRegularizer(0.5, "columns"),
], ids=lambda r: type(r).__name__)
def test_keras_serialized_dicts_are_accepted_and_written_back(keras_reg):
    written = keras.regularizers.serialize(keras_reg)
    ours = R.get(written)
    assert R.serialize(ours) == written
    w = jnp.asarray(WEIGHTS[0])
    np.testing.assert_allclose(np.asarray(ours(w)), np.asarray(keras_reg(w)), rtol=1e-5)


@pytest.mark.parametrize("reg", [R.L1(0.2), R.L2(0.1), R.L1L2(0.1, 0.3),
                                 R.OrthogonalRegularizer(0.3, "rows")],
                         ids=lambda r: type(r).__name__)
def test_config_round_trip(reg):
    assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()
    assert R.deserialize(R.serialize(reg)).get_config() == reg.get_config()
    assert R.get(R.serialize(reg)).get_config() == reg.get_config()


def test_get_passes_through_none_instances_callables_and_classes():
    reg = R.L2()
    assert R.get(reg) is reg and R.get(None) is None

    def penalty(x):
        return jnp.sum(x)

    assert R.get(penalty) is penalty
    assert isinstance(R.get(R.L1), R.L1)


def test_registered_custom_regularizer_round_trips():
    @register_keras_serializable(package="kk_test_reg")
    class Sum(R.Regularizer):
        def __init__(self, factor=1.0):
            self.factor = factor

        def __call__(self, x):
            return self.factor * jnp.sum(x)

        def get_config(self):
            return {"factor": self.factor}

    again = R.get(R.serialize(Sum(2.0)))
    assert isinstance(again, Sum) and again.factor == 2.0
    assert isinstance(R.get("kk_test_reg>Sum"), Sum)


@pytest.mark.parametrize("build,match", [
    (lambda: R.L1(-1.0), r"L1: invalid `l1`.*Received: l1=-1.0"),
    (lambda: R.L2(float("nan")), r"L2: invalid `l2`.*Received: l2=nan"),
    (lambda: R.L1L2(l1=float("inf")), r"L1L2: invalid `l1`.*Received: l1=inf"),
    (lambda: R.L1L2(l2="0.1"), r"L1L2: invalid `l2`.*Received: l2='0.1'"),
    (lambda: R.OrthogonalRegularizer(-0.1), r"OrthogonalRegularizer: invalid `factor`"),
    (lambda: R.OrthogonalRegularizer(mode="diag"), r"unknown `mode`.*Received: mode='diag'"),
])
def test_bad_arguments_raise(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_keras_rejects_the_same_arguments():
    for build in [lambda: keras.regularizers.L1(-1.0), lambda: keras.regularizers.L2("x")]:
        with pytest.raises(ValueError):
            build()


def test_orthogonal_regularizer_needs_rank_2():
    with pytest.raises(ValueError, match=r"must be 2-D.*inputs.shape=\(2, 3, 4\)"):
        R.OrthogonalRegularizer()(WEIGHTS[3])


def test_base_get_config_is_abstract():
    with pytest.raises(NotImplementedError, match="does not implement get_config"):
        R.Regularizer().get_config()
    assert R.Regularizer()(WEIGHTS[0]) == 0.0


def test_unknown_names_and_types_raise():
    with pytest.raises(ValueError, match="unknown regularizer 'L3'"):
        R.get("L3")
    with pytest.raises(ValueError, match="unknown regularizer 'MaxNorm'"):
        R.get("MaxNorm")  # a constraint, not a regularizer
    with pytest.raises(IdentifierTypeError, match="could not interpret the regularizer"):
        R.get(0.1)
    with pytest.raises(UnsafeModelError, match=r"regularizer: 'eval' \(module 'builtins'\)"):
        R.get({"module": "builtins", "class_name": "eval", "config": {}})
