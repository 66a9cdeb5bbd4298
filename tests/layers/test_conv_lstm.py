"""ConvLSTM1D/2D/3D against Keras 3: outputs, states, weights, masks, configs, files."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


X1 = _normal(2, 3, 6, 2)
X1_FIRST = _normal(2, 3, 2, 6)
X2 = _normal(2, 3, 5, 5, 2)
X3 = _normal(1, 2, 4, 4, 4, 1)

CASES = [
    ("ConvLSTM1D", {"filters": 3, "kernel_size": 3}, X1),
    ("ConvLSTM1D", {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same",
                    "return_sequences": True}, X1),
    ("ConvLSTM1D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2,
                    "data_format": "channels_first"}, X1_FIRST),
    ("ConvLSTM2D", {"filters": 3, "kernel_size": 3}, X2),
    ("ConvLSTM2D", {"filters": 3, "kernel_size": (3, 2), "padding": "same",
                    "return_sequences": True, "return_state": True, "go_backwards": True}, X2),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "strides": (2, 1), "use_bias": False,
                    "activation": "relu", "unit_forget_bias": False}, X2),
    ("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "padding": "same",
                    "data_format": "channels_first", "return_state": True}, X2),
    ("ConvLSTM3D", {"filters": 2, "kernel_size": 2, "return_sequences": True}, X3),
]


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


FAST = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}


def _fast_pair(name, kwargs, x):
    """Layers with constant initializers (no per-shape compilation of random initializers);
    Keras's weights are then drawn by NumPy, and copied into kernelkit by the oracle."""
    kk_layer, k_layer = _pair(name, {**FAST, **kwargs})
    k_layer.build(x.shape)
    k_layer.set_weights([_normal(*w.shape, seed=i + 7) * 0.5
                         for i, w in enumerate(k_layer.get_weights())])
    return kk_layer, k_layer


@pytest.mark.parametrize(("name", "kwargs", "x"), CASES)
def test_conv_lstm_matches_keras(name, kwargs, x):
    assert_matches_keras(*_fast_pair(name, kwargs, x), x, atol=1e-5)


@pytest.mark.parametrize(("name", "kwargs", "x"), [CASES[0], CASES[4]])
def test_conv_lstm_config_keys_and_weights_match_keras(name, kwargs, x):
    kk_layer, k_layer = _pair(name, {**kwargs, **FAST, "dropout": 0.1, "seed": 1})
    k_layer(x)
    kk_layer(x)
    k_config, kk_config = k_layer.get_config(), kk_layer.get_config()
    assert set(kk_config) == set(k_config)
    for key in ("filters", "kernel_size", "strides", "padding", "dilation_rate", "dropout",
                "return_sequences", "unit_forget_bias", "kernel_initializer"):
        assert kk_config[key] == k_config[key]
    assert [v.name for v in kk_layer.weights] == [v.name for v in k_layer.weights]
    loaded = type(kk_layer).from_config(k_config)
    assert loaded.filters == kwargs["filters"] and loaded.cell.dropout == 0.1
    assert_config_round_trip(kk_layer, x)


def test_conv_lstm_forget_bias_starts_at_one_like_keras():
    kk_layer, k_layer = _pair("ConvLSTM2D", {"filters": 2, "kernel_size": 1, **FAST})
    kk_layer(X2)
    k_layer(X2)
    np.testing.assert_array_equal(np.asarray(kk_layer.cell.bias[...]),
                                  np.asarray(k_layer.cell.bias))


def test_conv_lstm_initial_state_matches_keras_and_masked_steps_keep_the_state():
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same"}
    h0, c0 = _normal(2, 5, 5, 2, seed=1), _normal(2, 5, 5, 2, seed=2)
    kk_layer, k_layer = _fast_pair("ConvLSTM2D", kwargs, X2)
    assert_matches_keras(kk_layer, k_layer, X2, call_kwargs={"initial_state": [h0, c0]})
    # Keras's ConvLSTM cannot take a mask (its JAX loop fails to broadcast it); a sequence
    # whose last step is masked ends as Keras's run on the first two steps.
    mask = np.array([[1, 1, 0], [1, 1, 0]], bool)
    got = kk_layer(X2, initial_state=[h0, c0], mask=mask)
    expected = k_layer(X2[:, :2], initial_state=[h0, c0])
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), atol=1e-5)


def test_conv_lstm_symbolic_shapes_match_keras():
    kwargs = {"filters": 3, "kernel_size": 3, "return_sequences": True, "return_state": True}
    kk_layer, k_layer = _pair("ConvLSTM2D", kwargs)
    out = kk_layer(kk.Input((None, 5, 5, 2)))
    expected = k_layer.compute_output_shape((None, None, 5, 5, 2))
    assert [t.shape for t in out] == [tuple(s) for s in expected]


def test_stateful_conv_lstm_carries_states_between_calls_like_keras():
    kwargs = {"filters": 2, "kernel_size": 3, "padding": "same", "stateful": True}
    kk_layer, k_layer = _fast_pair("ConvLSTM2D", kwargs, X2)
    assert_matches_keras(kk_layer, k_layer, X2)
    second = _normal(*X2.shape, seed=4)
    np.testing.assert_allclose(np.asarray(kk_layer(second)), np.asarray(k_layer(second)),
                               atol=1e-5)
    kk_layer.reset_states()
    k_layer.reset_states()
    np.testing.assert_allclose(np.asarray(kk_layer(second)), np.asarray(k_layer(second)),
                               atol=1e-5)


def test_conv_lstm_dropout_is_seeded_and_off_at_inference():
    kwargs = {"filters": 2, "kernel_size": 3, "dropout": 0.5, "recurrent_dropout": 0.3,
              "seed": 3, "bias_initializer": "ones", **FAST}
    a, b = kk.layers.ConvLSTM2D(**kwargs), kk.layers.ConvLSTM2D(**kwargs)
    a(X2)
    a.set_weights([_normal(*w.shape, seed=9) for w in a.get_weights()])
    b(X2)
    b.set_weights(a.get_weights())
    first = np.asarray(a(X2, training=True))
    np.testing.assert_array_equal(first, np.asarray(b(X2, training=True)))
    assert not np.allclose(first, np.asarray(a(X2)))
    plain = kk.layers.ConvLSTM2D(filters=2, kernel_size=3, **FAST)
    plain(X2)
    plain.set_weights(a.get_weights())
    np.testing.assert_allclose(np.asarray(a(X2, training=False)), np.asarray(plain(X2)))


def test_keras_file_with_conv_lstm2d_loads(tmp_path):
    layer = keras.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True, **FAST)
    layer.build(X2.shape)
    layer.set_weights([_normal(*w.shape, seed=3) * 0.5 for w in layer.get_weights()])
    assert_keras_file_loads(layer, X2, tmp_path)


def test_model_with_conv_lstm_trains():
    model = kk.Sequential([kk.Input((3, 5, 5, 2)), kk.layers.ConvLSTM2D(2, 3, **FAST),
                           kk.layers.Flatten(), kk.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    y = _normal(2, 1, seed=5)
    history = model.fit(X2, y, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.parametrize(("name", "x"), [("ConvLSTM2D", X1), ("ConvLSTM1D", X2)])
def test_wrong_rank_names_the_layer(name, x):
    with pytest.raises(ValueError, match=name):
        getattr(kk.layers, name)(2, 2)(x)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"filters": 0, "kernel_size": 2}, "filters"),
    ({"filters": 2, "kernel_size": (2, 2, 2)}, "kernel_size"),
    ({"filters": 2, "kernel_size": 2, "padding": "causal"}, "padding"),
    ({"filters": 2, "kernel_size": 2, "strides": 2, "dilation_rate": 2}, "dilation_rate"),
])
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kk.layers.ConvLSTM2D(**kwargs)
