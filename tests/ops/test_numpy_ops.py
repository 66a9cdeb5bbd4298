"""Every name of `keras.ops.numpy` in `kernelkit.ops(.numpy)`, matching Keras on a table of cases."""

from __future__ import annotations

import inspect

import pytest

import kernelkit.ops as kk_ops
import kernelkit.ops.numpy as kk_numpy
from tests.keras_oracle import keras
from tests.ops.conftest import assert_same_outputs
from tests.ops.numpy_cases import CASES, ERROR_CASES

KERAS_NAMES = sorted(n for n in dir(keras.ops.numpy) if not n.startswith("_"))


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_name_exists_with_keras_parameters(name):
    ours = getattr(kk_numpy, name)
    assert getattr(kk_ops, name) is ours
    assert name in kk_numpy.__all__
    theirs = inspect.signature(getattr(keras.ops.numpy, name)).parameters
    mine = inspect.signature(ours).parameters
    assert [(p.name, p.kind, p.default) for p in mine.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()]


def test_every_name_has_cases():
    tested = {name for name, *_ in CASES}
    assert set(KERAS_NAMES) - tested == {"vectorize"}  # vectorize: see its own test


@pytest.mark.parametrize(("name", "args", "kwargs"), [c[:1] + c[2:] for c in CASES],
                         ids=[c[1] for c in CASES])
def test_matches_keras(name, args, kwargs):
    try:
        expected = getattr(keras.ops.numpy, name)(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - whatever Keras refuses, we refuse too
        with pytest.raises(type(error).__mro__[0] if isinstance(error, ValueError | TypeError)
                           else Exception):
            getattr(kk_numpy, name)(*args, **kwargs)
        return
    assert_same_outputs(getattr(kk_numpy, name)(*args, **kwargs), expected)


def test_vectorize_matches_keras():
    import jax.numpy as jnp

    x = jnp.arange(6.0).reshape(2, 3)
    for kwargs in [{}, {"signature": "(n)->()"}]:
        ours = kk_numpy.vectorize(lambda v: jnp.sum(v * 2), **kwargs)(x)
        theirs = keras.ops.numpy.vectorize(lambda v: jnp.sum(v * 2), **kwargs)(x)
        assert_same_outputs(ours, theirs)


@pytest.mark.parametrize(("name", "args", "kwargs"), ERROR_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ERROR_CASES)])
def test_bad_arguments_raise_like_keras(name, args, kwargs):
    with pytest.raises((ValueError, TypeError)) as keras_error:
        getattr(keras.ops.numpy, name)(*args, **kwargs)
    with pytest.raises(keras_error.type, match=f"^{name}: "):
        getattr(kk_numpy, name)(*args, **kwargs)


@pytest.mark.parametrize(("name", "args"), [
    ("subtract", ([1.0, 2.0], [1.0, 2.0, 3.0])),
    ("reshape", ([1.0, 2.0, 3.0], (2, 2))),
    ("matmul", ([[1.0, 2.0]], [[1.0, 2.0]])),
])
def test_errors_from_jax_name_the_op(name, args):
    with pytest.raises((ValueError, TypeError), match=f"^{name}: "):
        getattr(kk_numpy, name)(*args)
