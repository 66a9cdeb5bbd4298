"""Dense: differential test against Keras 3, config round trip, input checks."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras


@pytest.mark.parametrize("kwargs", [
    {"units": 4},
    {"units": 3, "activation": "relu", "use_bias": False},
    {"units": 5, "activation": "softmax"},
])
def test_dense_matches_keras(kwargs):
    x = np.random.default_rng(0).normal(size=(6, 7)).astype("float32")
    assert_matches_keras(kk.layers.Dense(**kwargs), keras.layers.Dense(**kwargs), x)


def test_dense_on_rank_3_inputs_matches_keras():
    x = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")
    assert_matches_keras(kk.layers.Dense(4), keras.layers.Dense(4), x)


def test_dense_config_round_trip():
    layer = kk.layers.Dense(3, activation="tanh", kernel_regularizer="l2",
                            kernel_constraint="non_neg", bias_initializer="ones")
    assert_config_round_trip(layer, np.ones((2, 4), "float32"))


def test_dense_wrong_last_axis_names_layer_and_shapes_and_changes_nothing():
    layer = kk.layers.Dense(2, name="dense_2")
    layer(np.ones((3, 128), "float32"))
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"Dense 'dense_2' expected inputs whose last axis is "
                                         r"128, but received inputs=float32\[32, 64\]"):
        layer(np.ones((32, 64), "float32"))
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_dense_wrong_rank_and_dtype():
    layer = kk.layers.Dense(2)
    with pytest.raises(ValueError, match=r"Dense 'dense' expected inputs of rank at least 2"):
        layer(np.ones((3,), "float32"))
    with pytest.raises(ValueError, match=r"expected numeric inputs, but received dtype"):
        layer(np.array([["a", "b"]]))


@pytest.mark.parametrize("units", [0, -1, 2.5, None])
def test_dense_rejects_bad_units(units):
    with pytest.raises(ValueError, match="`units` must be a positive integer"):
        kk.layers.Dense(units)
