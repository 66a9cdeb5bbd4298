"""`layer.build(input_shape)` called directly: built, input spec recorded, wrong widths refused."""

import json

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _json(config):
    return json.loads(json.dumps(config))  # tuples and lists are one thing in the saved file


# (constructor, arguments, build shape, a call shape the built layer must refuse)
CASES = [
    ("Dense", {"units": 4}, (None, 5), (2, 6)),
    ("Conv1D", {"filters": 2, "kernel_size": 3}, (None, 8, 3), (2, 8, 4)),
    ("Conv2D", {"filters": 2, "kernel_size": 2}, (None, 6, 6, 3), (1, 6, 6, 2)),
    ("LSTM", {"units": 3}, (None, 4, 5), (2, 4, 6)),
    ("BatchNormalization", {}, (None, 5), (2, 6)),
    ("LayerNormalization", {}, (None, 5), (2, 6)),
]


@pytest.mark.parametrize(("cls", "kwargs", "shape", "bad"), CASES, ids=[c[0] for c in CASES])
def test_direct_build_matches_keras_and_refuses_other_widths(cls, kwargs, shape, bad):
    ours, theirs = getattr(kk.layers, cls)(**kwargs), getattr(keras.layers, cls)(**kwargs)
    ours.build(shape)
    theirs.build(shape)
    assert ours.built and theirs.built
    assert ours.count_params() == theirs.count_params()
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert _json(ours.get_build_config()) == _json(theirs.get_build_config())
    before = [w.numpy().copy() for w in ours.weights]
    x = np.ones(bad, "float32")
    with pytest.raises((ValueError, TypeError)):
        theirs(x)  # the oracle refuses it too (a TypeError from JAX for some layers)
    with pytest.raises(ValueError) as info:
        ours(x)
    message = str(info.value)
    assert f"'{ours.name}'" in message and cls in message
    assert str(shape[-1]) in message and str(list(bad)).replace(" ", "") in message.replace(
        " ", "")
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    for old, w in zip(before, ours.weights, strict=True):
        np.testing.assert_array_equal(old, w.numpy())
    good = np.ones((2, *shape[1:]), "float32")
    assert ours(good).shape == theirs(good).shape  # the right width works, weights kept
    for old, w in zip(before, ours.weights, strict=True):
        np.testing.assert_array_equal(old, w.numpy())


def test_dense_input_spec_after_direct_build_matches_keras():
    ours, theirs = kk.layers.Dense(4), keras.layers.Dense(4)
    ours.build((None, 5))
    theirs.build((None, 5))
    assert ours.input_spec.axes == theirs.input_spec.axes
    assert ours.input_spec.min_ndim == theirs.input_spec.min_ndim


class Scale(kk.layers.Layer):
    """A custom layer whose build creates one weight per feature."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                     name="scale")

    def call(self, x):
        return x * self.scale


class KerasScale(keras.layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                     name="scale")

    def call(self, x):
        return x * self.scale


def test_custom_build_marks_built_and_is_not_rebuilt_by_a_call():
    ours, theirs = Scale(), KerasScale()
    ours.build((None, 3))
    theirs.build((None, 3))
    assert ours.built and theirs.built
    assert ours.count_params() == theirs.count_params() == 3
    assert _json(ours.get_build_config()) == _json(theirs.get_build_config())
    weight = ours.scale
    ours.scale.assign([1.0, 2.0, 3.0])
    np.testing.assert_allclose(np.asarray(ours(np.ones((2, 3), "float32"))), [[1, 2, 3]] * 2)
    assert ours.scale is weight and len(ours.weights) == 1


def test_count_params_before_build_says_to_build():
    layer = kk.layers.Dense(4)
    with pytest.raises(ValueError, match="build"):
        layer.count_params()
    layer.build((None, 2))
    assert layer.count_params() == 12
