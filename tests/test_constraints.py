"""Constraints: projections vs Keras 3, get with Keras's names and dicts, configs, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from keras.src.constraints import ALL_OBJECTS_DICT as KERAS_CONSTRAINTS

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import IdentifierTypeError
from tests.keras_oracle import keras

C = kk.constraints

WEIGHTS = [
    np.random.default_rng(0).normal(scale=2.0, size=(5, 3)).astype("float32"),
    np.random.default_rng(1).normal(scale=0.1, size=(3, 3, 4, 2)).astype("float32"),
    np.array([[0.0, 3.0], [0.0, -4.0]], "float32"),  # a zero column
]

CASES = [
    ("MaxNorm", {}), ("MaxNorm", {"max_value": 0.5}), ("MaxNorm", {"axis": 1}),
    ("MaxNorm", {"max_value": 1.0, "axis": [0, 1]}),
    ("NonNeg", {}),
    ("UnitNorm", {}), ("UnitNorm", {"axis": 1}), ("UnitNorm", {"axis": [0, 1]}),
    ("MinMaxNorm", {}), ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.0, "rate": 0.3, "axis": 1}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("w", WEIGHTS, ids=["dense", "conv", "zero-column"])
def test_projection_matches_keras(name, kwargs, w):
    ours = getattr(C, name)(**kwargs)(jnp.asarray(w))
    theirs = getattr(keras.constraints, name)(**kwargs)(w)
    assert ours.dtype == theirs.dtype and ours.shape == w.shape
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-6, atol=1e-7)


def test_projections_do_what_they_say():
    w = jnp.asarray(WEIGHTS[0])
    norms = np.linalg.norm(np.asarray(C.MaxNorm(1.0)(w)), axis=0)
    assert (norms <= 1.0 + 1e-5).all()
    np.testing.assert_allclose(np.linalg.norm(np.asarray(C.UnitNorm()(w)), axis=0), 1.0,
                               rtol=1e-5)
    assert (np.asarray(C.NonNeg()(w)) >= 0).all()
    norms = np.linalg.norm(np.asarray(C.MinMaxNorm(2.0, 3.0)(w)), axis=0)
    assert ((norms >= 2.0 - 1e-5) & (norms <= 3.0 + 1e-5)).all()


def test_constraints_work_under_jit():
    w = jnp.asarray(WEIGHTS[0])
    np.testing.assert_allclose(jax.jit(C.MaxNorm(1.0))(w), C.MaxNorm(1.0)(w), rtol=1e-6)


def test_every_keras_name_resolves_to_the_same_class():
    for name, cls in KERAS_CONSTRAINTS.items():
        assert type(C.get(name)).__name__ == cls.__name__, name
    assert C.max_norm is C.MaxNorm and C.non_neg is C.NonNeg


@pytest.mark.parametrize("keras_constraint", [
    keras.constraints.MaxNorm(3, axis=1), keras.constraints.NonNeg(),
    keras.constraints.UnitNorm(axis=[0, 1]), keras.constraints.MinMaxNorm(0.1, 0.9, 0.5, 1),
], ids=lambda c: type(c).__name__)
def test_keras_serialized_dicts_are_accepted_and_written_back(keras_constraint):
    written = keras.constraints.serialize(keras_constraint)
    ours = C.get(written)
    assert C.serialize(ours) == written
    w = WEIGHTS[0]
    np.testing.assert_allclose(np.asarray(ours(w)), np.asarray(keras_constraint(w)), rtol=1e-6)


@pytest.mark.parametrize("constraint", [C.MaxNorm(3.0, 1), C.NonNeg(), C.UnitNorm(1),
                                        C.MinMaxNorm(0.1, 2.0, 0.5, 0)],
                         ids=lambda c: type(c).__name__)
def test_config_round_trip(constraint):
    again = C.deserialize(C.serialize(constraint))
    assert type(again) is type(constraint) and again.get_config() == constraint.get_config()
    assert C.get(C.serialize(constraint)).get_config() == constraint.get_config()


def test_get_passes_through_none_instances_callables_and_classes():
    c = C.NonNeg()
    assert C.get(c) is c and C.get(None) is None
    assert C.get(jnp.abs) is jnp.abs
    assert isinstance(C.get(C.UnitNorm), C.UnitNorm)
    assert C.Constraint()(WEIGHTS[0]) is WEIGHTS[0]


def test_unknown_names_and_types_raise():
    with pytest.raises(ValueError, match="unknown constraint 'maxnorm'"):
        C.get("maxnorm")  # Keras 3 knows only "MaxNorm" and "max_norm"
    with pytest.raises(IdentifierTypeError, match="could not interpret the constraint"):
        C.get(2)
    with pytest.raises(UnsafeModelError, match=r"constraint: 'system' \(module 'os'\)"):
        C.get({"module": "os", "class_name": "system", "config": {"command": "ls"}})
