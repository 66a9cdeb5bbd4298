"""Model API: get_layer (3.15), weights and counts (3.16), config and JSON (3.19)."""

import json

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers


def _model():
    x = kk.Input(shape=(500,), name="in")
    h = layers.Dense(32, name="dense")(x)
    y = layers.Dense(4, name="head")(h)
    return kk.Model(x, y)


def test_get_layer_by_name_index_and_precedence():
    m = _model()
    assert m.get_layer(name="dense") is m.layers[1]
    assert m.get_layer(index=0) is m.layers[0]
    assert m.get_layer(name="head", index=1) is m.layers[1]


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "nope"}, r"no layer named 'nope'"),
    ({"index": 7}, r"only 3 layers"),
    ({}, r"needs a layer name or index"),
])
def test_get_layer_errors_are_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _model().get_layer(**kwargs)


def test_count_params_is_the_sum_of_weight_sizes():
    model = kk.Sequential([layers.Dense(32, input_shape=(500,))])
    assert model.count_params() == 16032
    assert model.count_params() == sum(w.size for w in model.get_weights())


def test_count_params_unbuilt_raises():
    with pytest.raises(ValueError, match="not built yet"):
        kk.Sequential([layers.Dense(3)]).count_params()


def test_get_weights_returns_numpy_and_set_weights_round_trips():
    m1, m2 = _model(), _model()
    weights = m1.get_weights()
    assert all(isinstance(w, np.ndarray) for w in weights)
    x = np.random.rand(3, 500).astype("float32")
    before = np.asarray(m1(x))
    m1.set_weights(weights)
    np.testing.assert_array_equal(before, np.asarray(m1(x)))
    m2.set_weights(weights)
    np.testing.assert_array_equal(np.asarray(m2(x)), before)


def test_set_weights_wrong_count_or_shape_raises_and_changes_nothing():
    m = _model()
    before = m.get_weights()
    with pytest.raises(ValueError, match="expected a list of 4 arrays, but received 3"):
        m.set_weights(before[:3])
    bad = [np.zeros((2, 2))] + before[1:]
    bad[3] = np.ones_like(before[3])
    with pytest.raises(ValueError, match=r"weight 0 \(dense/kernel\) has shape \(500, 32\)"):
        m.set_weights(bad)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_variables_and_trainable_split():
    m = _model()
    assert len(m.weights) == len(m.trainable_weights) + len(m.non_trainable_weights)
    assert [id(w) for w in m.weights] == [id(v) for v in m.variables]


def test_freezing_moves_weights_to_non_trainable():
    m = _model()
    m.get_layer("dense").trainable = False
    assert len(m.trainable_weights) == 2 and len(m.non_trainable_weights) == 2
    assert [w.path for w in m.non_trainable_weights] == ["dense/kernel", "dense/bias"]
    m.trainable = False
    assert m.trainable_weights == [] and len(m.non_trainable_weights) == 4
    m.trainable = True
    assert len(m.trainable_weights) == 4


class _Counter(kk.Layer):
    def build(self, input_shape):
        self.total = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="total")
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        return x * self.scale[...]


def test_add_weight_trainable_false_is_non_trainable_and_order_is_keras():
    layer = _Counter()
    layer(np.ones((1, 3)))
    assert [w.name for w in layer.weights] == ["scale", "total"]
    assert [w.name for w in layer.non_trainable_weights] == ["total"]


def test_add_weight_legacy_name_first_signature():
    class Legacy(kk.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", (input_shape[-1], 2))

    layer = Legacy()
    layer.build((None, 3))
    assert layer.w.name == "w" and tuple(layer.w.shape) == (3, 2)


def test_activity_regularizer_losses():
    layer = layers.Dense(2, activity_regularizer="l2", kernel_initializer="ones")
    out = np.asarray(layer(np.ones((4, 3), "float32")))
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), 0.01 * np.sum(out ** 2) / 4, rtol=1e-6)


def test_kernel_regularizer_appears_in_model_losses():
    m = kk.Sequential([kk.Input((3,)), layers.Dense(2, kernel_regularizer="l1")])
    kernel = m.layers[0].kernel.numpy()
    np.testing.assert_allclose(float(sum(m.losses)), 0.01 * np.abs(kernel).sum(), rtol=1e-6)


def test_to_json_round_trip_and_kwargs():
    m = _model()
    text = m.to_json()
    assert isinstance(json.loads(text), dict)
    assert "\n" in m.to_json(indent=2)
    assert m.to_json(sort_keys=True) == json.dumps(json.loads(text), sort_keys=True)
    clone = kk.models.model_from_json(text)
    assert [type(layer) for layer in clone.layers] == [type(layer) for layer in m.layers]
    assert [layer.name for layer in clone.layers] == [layer.name for layer in m.layers]
    assert clone.count_params() == m.count_params() and clone.output_shape == m.output_shape
    assert not np.array_equal(clone.get_weights()[0], m.get_weights()[0])


def test_sequential_and_nested_config_round_trip():
    inner = kk.Sequential([kk.Input((4,)), layers.Dense(3), layers.Dense(2)], name="inner")
    x = kk.Input((4,))
    outer = kk.Model(x, layers.Dense(1)(inner(x)), name="outer")
    again = kk.Model.from_config(outer.get_config())
    assert again.count_params() == outer.count_params()
    assert isinstance(again.layers[1], kk.Sequential)
    json.dumps(outer.get_config())
    seq_again = kk.Sequential.from_config(inner.get_config())
    assert seq_again.count_params() == inner.count_params()


def test_multi_io_config_round_trip():
    a, b = kk.Input((3,), name="a"), kk.Input((2,), name="b")
    shared = layers.Dense(4, name="shared")
    y1, y2 = shared(a), layers.Dense(1, name="from_b")(b)
    m = kk.Model([a, b], [y1, y2])
    again = kk.Model.from_config(m.get_config())
    assert again.input_shape == m.input_shape and again.output_shape == m.output_shape
    x = [np.ones((2, 3)), np.ones((2, 2))]
    again.set_weights(m.get_weights())
    for p, q in zip(again(x), m(x)):
        np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=1e-6)


def test_malformed_config_raises_value_error():
    with pytest.raises(ValueError, match="improperly formatted config"):
        kk.Model.from_config({"layers": []})
    with pytest.raises(ValueError, match="improperly formatted config"):
        kk.Sequential.from_config("nonsense")


def test_custom_layer_needs_custom_objects():
    class MyLayer(kk.Layer):
        def call(self, x):
            return x * 2

    x = kk.Input((2,))
    m = kk.Model(x, MyLayer(name="mine")(x))
    with pytest.raises(ValueError, match="'MyLayer'.*not a registered kernelkit object"):
        kk.models.model_from_json(m.to_json())
    again = kk.models.model_from_json(m.to_json(), custom_objects={"MyLayer": MyLayer})
    assert type(again.get_layer("mine")) is MyLayer
