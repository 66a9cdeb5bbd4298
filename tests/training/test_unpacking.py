"""Unpacking batches yielded by iterators into `(x, y, sample_weight)` (catalogue 3.5)."""

import collections

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from kernelkit.utils import pack_x_y_sample_weight, unpack_x_y_sample_weight
from tests.keras_oracle import keras

X = np.arange(12, dtype="float32").reshape(4, 3)
Y = np.ones((4, 1), "float32")
W = np.array([1.0, 0.0, 2.0, 1.0], "float32")


@pytest.mark.parametrize("batch, expected", [
    ((X,), (X, None, None)),
    ((X, Y), (X, Y, None)),
    ((X, Y, W), (X, Y, W)),
    (X, (X, None, None)),
    ({"x0": X, "x1": Y}, ({"x0": X, "x1": Y}, None, None)),
    (({"x0": X}, Y), ({"x0": X}, Y, None)),
    ([X, Y], (X, Y, None)),  # decision 6.13: a list unpacks like a tuple
])
def test_unpack_rules_match_keras(batch, expected):  # 109-114, 118
    ours = unpack_x_y_sample_weight(batch)
    theirs = keras.utils.unpack_x_y_sample_weight(
        tuple(batch) if isinstance(batch, list) else batch)
    for a, b, c in zip(ours, expected, theirs):
        _assert_same_object(a, b)
        _assert_same_object(c, b)


def _assert_same_object(got, expected):
    if isinstance(expected, dict):  # the dict passes through with its very arrays
        assert isinstance(got, dict) and list(got) == list(expected)
        assert all(got[k] is expected[k] for k in expected)
    else:
        assert got is expected


def test_pack_is_the_inverse_of_unpack():
    assert pack_x_y_sample_weight(X) == (X,)
    assert pack_x_y_sample_weight(X, Y) == (X, Y)
    assert pack_x_y_sample_weight(X, Y, W) == (X, Y, W)
    assert unpack_x_y_sample_weight(pack_x_y_sample_weight(X, Y, W)) == (X, Y, W)


@pytest.mark.parametrize("batch, match", [
    (collections.namedtuple("Pair", ["y", "x"])(Y, X),
     r"yielded a namedtuple \(Pair\).*Convert it with tuple\(batch\) or batch._asdict\(\)"),
    ((X, Y, W, W), r"tuple of length 1, 2 or 3.*Received a tuple of length 4"),
    ((X, Y, W, W, W), r"Received a tuple of length 5"),
])
def test_unpack_refuses_ambiguous_batches(batch, match):  # 115, 116
    with pytest.raises(ValueError, match=match):
        unpack_x_y_sample_weight(batch)


def _model():
    model = kk.Sequential([kk.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_yielded_x_only_trains_with_add_loss():  # 109
    class Penalty(layers.Layer):
        def call(self, inputs):
            self.add_loss(0.5 * (inputs ** 2).mean())
            return inputs

    model = kk.Sequential([kk.Input((3,)), layers.Dense(2), Penalty()])
    model.compile("sgd")
    model(X[:1])
    before = model.get_weights()
    history = model.fit(iter([(X,), (X,)]), verbose=0)
    assert history.history["loss"][0] > 0
    assert not np.allclose(before[0], model.get_weights()[0])


def test_yielded_triples_equal_sample_weight_argument():  # 111
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    a.fit(iter([(X, Y, W), (X, Y, W)]), verbose=0)
    b.fit(np.concatenate([X, X]), np.concatenate([Y, Y]), sample_weight=np.concatenate([W, W]),
          batch_size=4, shuffle=False, verbose=0)
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(u, v, rtol=1e-6)


def test_yielded_pairs_and_lists_train_alike():  # 110, 118
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    a.fit(iter([(X, Y)]), verbose=0)
    b.fit(iter([[X, Y]]), verbose=0)
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(u, v)


def test_yielded_bare_array_is_x_only():  # 112
    model = _model()
    with pytest.raises(ValueError, match=r"needs targets, but the data has none \(y=None\)"):
        model.fit(iter([X]), verbose=0)


def test_yielded_bare_dict_is_all_x():  # 113
    x0, x1 = kk.Input((3,), name="x0"), kk.Input((1,), name="x1")
    model = kk.Model([x0, x1], layers.Dense(1)(layers.Concatenate()([x0, x1])))
    model.compile("sgd", "mse")
    model([X[:1], Y[:1]])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"needs targets, but the data has none"):
        model.fit(iter([{"x0": X, "x1": Y}]), verbose=0)  # "x1" is never read as a target
    for u, v in zip(before, model.get_weights()):
        np.testing.assert_array_equal(u, v)
    history = model.fit(iter([({"x0": X, "x1": Y}, Y)]), verbose=0)  # 114
    assert len(history.history["loss"]) == 1
    predicted = model.predict(iter([{"x0": X, "x1": Y}]), verbose=0)
    assert predicted.shape == (4, 1)


@pytest.mark.parametrize("batch", [(X, Y), (X, Y, W), (X,), X])
def test_predict_uses_x_and_ignores_the_rest(batch):  # 117
    model = _model()
    expected = model.predict(X, verbose=0)
    np.testing.assert_allclose(model.predict(iter([batch]), verbose=0), expected, rtol=1e-6)


def test_yielded_namedtuple_raises_in_fit():  # 115
    model = _model()
    pair = collections.namedtuple("Pair", ["x", "y"])
    with pytest.raises(ValueError, match=r"yielded a namedtuple \(Pair\)"):
        model.fit(iter([pair(X, Y)]), verbose=0)
