"""`kernelkit.ops.dtypes` against `keras.backend`: promotion over a dtype grid, names, kinds."""

import itertools

import jax.numpy as jnp
import numpy as np
import pytest

from kernelkit.ops import dtypes
from tests.keras_oracle import keras

GRID = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "bfloat16",
        "float16", "float32", "float64", "complex64", int, float, None]


def _keras_or_error(fn, *args):
    try:
        return fn(*args)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("a", GRID, ids=str)
def test_result_type_pairs_match_keras(a):
    for b in GRID:
        expected = _keras_or_error(keras.backend.result_type, a, b)
        assert _keras_or_error(dtypes.result_type, a, b) == expected, (a, b)


def test_result_type_triples_and_singles_match_keras():
    for combo in itertools.chain(((d,) for d in GRID),
                                 itertools.combinations(GRID[::2], 3)):
        assert dtypes.result_type(*combo) == keras.backend.result_type(*combo), combo
    assert dtypes.result_type() == keras.backend.result_type() == "float32"


def test_result_type_follows_floatx():
    from kernelkit import config

    config.set_floatx("float16")
    keras.config.set_floatx("float16")
    try:
        for combo in [(int,), (float,), (int, float), ("int8", float), ("bool", int)]:
            assert dtypes.result_type(*combo) == keras.backend.result_type(*combo), combo
    finally:
        config.set_floatx("float32")
        keras.config.set_floatx("float32")


def test_float8_never_promotes():
    with pytest.raises(ValueError, match="float8"):
        dtypes.result_type("float8_e4m3fn", "float32")


@pytest.mark.parametrize("value", ["float32", np.float16, np.dtype("int8"), jnp.bfloat16, int,
                                   float, bool, None, jnp.zeros(2, "uint8").dtype])
def test_standardize_dtype_matches_keras(value):
    assert dtypes.standardize_dtype(value) == keras.backend.standardize_dtype(value)


def test_standardize_dtype_rejects_unknown_names():
    with pytest.raises(ValueError, match="standardize_dtype: unknown dtype"):
        dtypes.standardize_dtype("float7")


@pytest.mark.parametrize("name", [d for d in GRID if isinstance(d, str)])
def test_dtype_kinds_match_keras(name):
    assert dtypes.is_float_dtype(name) == keras.backend.is_float_dtype(name)
    assert dtypes.is_int_dtype(name) == keras.backend.is_int_dtype(name)
