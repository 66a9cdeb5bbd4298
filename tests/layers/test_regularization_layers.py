"""Regularization layers: identity at inference (vs Keras), training statistics, seeds, errors."""

import math

import jax
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RANDOM_LAYERS = [
    ("Dropout", {"rate": 0.3}, (3, 4)),
    ("Dropout", {"rate": 0.5, "noise_shape": (None, 1, 4)}, (2, 3, 4)),
    ("SpatialDropout1D", {"rate": 0.4}, (2, 5, 3)),
    ("SpatialDropout2D", {"rate": 0.4}, (2, 4, 4, 3)),
    ("SpatialDropout2D", {"rate": 0.4, "data_format": "channels_first"}, (2, 3, 4, 4)),
    ("GaussianNoise", {"stddev": 0.2}, (3, 4)),
    ("GaussianDropout", {"rate": 0.3}, (3, 4)),
]


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


@pytest.mark.parametrize(("name", "kwargs", "shape"), RANDOM_LAYERS)
@pytest.mark.parametrize("training", [None, False])
def test_random_layers_are_the_identity_at_inference_like_keras(name, kwargs, shape, training):
    x = _normal(*shape)
    kk_out, _ = assert_matches_keras(*_pair(name, kwargs), x, training=training)
    np.testing.assert_array_equal(kk_out[0], x)


@pytest.mark.parametrize(("name", "kwargs", "shape"), RANDOM_LAYERS)
def test_random_layers_config_round_trip_and_symbolic(name, kwargs, shape):
    kk_layer, k_layer = _pair(name, {**kwargs, "seed": 7})
    assert_config_round_trip(kk_layer, _normal(*shape))
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    loaded = type(kk_layer).from_config(k_config).get_config()
    for key in ("rate", "stddev", "seed", "noise_shape", "data_format"):
        if key in k_config:
            assert loaded[key] == k_config[key]
    symbolic = kk_layer(kk.Input(shape=shape[1:])).shape
    assert symbolic == k_layer.compute_output_shape((None, *shape[1:]))


@pytest.mark.parametrize(("name", "kwargs"), [
    ("Dropout", {"rate": 0.0}), ("Dropout", {"rate": 1.0}), ("SpatialDropout1D", {"rate": 1.0}),
    ("GaussianNoise", {"stddev": 0.0}), ("GaussianDropout", {"rate": 0.0}),
])
def test_deterministic_rates_in_training_match_keras(name, kwargs):
    x = _normal(2, 3, 4)
    assert_matches_keras(*_pair(name, kwargs), x, training=True)


def test_dropout_keeps_one_minus_rate_and_rescales():
    rate = 0.3
    layer = kk.layers.Dropout(rate, seed=1)
    out = np.asarray(layer(np.ones((200, 50), "float32"), training=True))
    kept = out != 0
    assert abs(kept.mean() - (1 - rate)) < 0.02
    np.testing.assert_allclose(out[kept], 1 / (1 - rate), rtol=1e-6)


def test_dropout_seed_reproducible_and_successive_calls_differ():
    x = np.ones((8, 16), "float32")
    a, b = kk.layers.Dropout(0.5, seed=3), kk.layers.Dropout(0.5, seed=3)
    first_a, first_b = np.asarray(a(x, training=True)), np.asarray(b(x, training=True))
    np.testing.assert_array_equal(first_a, first_b)
    second_a = np.asarray(a(x, training=True))
    assert not np.array_equal(first_a, second_a)
    np.testing.assert_array_equal(second_a, np.asarray(b(x, training=True)))
    other = np.asarray(kk.layers.Dropout(0.5, seed=4)(x, training=True))
    assert not np.array_equal(first_a, other)


def test_dropout_in_a_pure_jitted_step_draws_the_eager_sequence():
    x = np.ones((4, 6), "float32")
    model = kk.Sequential([kk.Input(shape=(6,)), kk.layers.Dropout(0.5, seed=0)])
    graphdef, state = nnx.split(model)

    @jax.jit
    def step(state, x):
        m = nnx.merge(graphdef, state, copy=True)
        return m(x, training=True), nnx.state(m)

    first, state = step(state, x)
    second, state = step(state, x)
    eager = kk.layers.Dropout(0.5, seed=0)
    np.testing.assert_array_equal(np.asarray(first), np.asarray(eager(x, training=True)))
    np.testing.assert_array_equal(np.asarray(second), np.asarray(eager(x, training=True)))
    assert not np.array_equal(np.asarray(first), np.asarray(second))


def test_dropout_noise_shape_shares_the_mask_along_size_one_axes():
    out = np.asarray(kk.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=0)(
        np.ones((4, 5, 6), "float32"), training=True))
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1], out.shape))
    assert 0 < (out == 0).mean() < 1


def test_dropout_inherits_training_from_sequential():
    x = np.ones((4, 10), "float32")
    model = kk.Sequential([kk.Input(shape=(10,)), kk.layers.Dropout(0.5, seed=0)])
    np.testing.assert_array_equal(np.asarray(model(x)), x)
    assert (np.asarray(model(x, training=True)) == 0).any()


@pytest.mark.parametrize(("layer", "shape", "channel_axis", "spatial_axes"), [
    (lambda: kk.layers.SpatialDropout1D(0.5, seed=0), (6, 7, 8), 2, (1,)),
    (lambda: kk.layers.SpatialDropout2D(0.5, seed=0), (6, 3, 4, 8), 3, (1, 2)),
    (lambda: kk.layers.SpatialDropout2D(0.5, data_format="channels_first", seed=0),
     (6, 8, 3, 4), 1, (2, 3)),
])
def test_spatial_dropout_drops_whole_channels(layer, shape, channel_axis, spatial_axes):
    out = np.asarray(layer()(np.ones(shape, "float32"), training=True))
    dropped = out == 0
    assert np.array_equal(dropped.all(axis=spatial_axes), dropped.any(axis=spatial_axes))
    per_channel = dropped.all(axis=spatial_axes)  # (batch, channels)
    assert 0.2 < per_channel.mean() < 0.8
    np.testing.assert_allclose(out[~dropped], 2.0)
    assert per_channel.shape == (shape[0], shape[channel_axis])


def test_spatial_dropout_seed_reproducible():
    x = np.ones((4, 5, 6), "float32")
    a = kk.layers.SpatialDropout1D(0.5, seed=2)
    b = kk.layers.SpatialDropout1D(0.5, seed=2)
    first = np.asarray(a(x, training=True))
    np.testing.assert_array_equal(first, np.asarray(b(x, training=True)))
    assert not np.array_equal(first, np.asarray(a(x, training=True)))


def test_gaussian_noise_statistics_and_seed():
    x = np.full((200, 50), 3.0, "float32")
    layer = kk.layers.GaussianNoise(0.2, seed=5)
    noise = np.asarray(layer(x, training=True)) - x
    assert abs(noise.mean()) < 0.01
    assert abs(noise.std() - 0.2) < 0.01
    again = np.asarray(kk.layers.GaussianNoise(0.2, seed=5)(x, training=True)) - x
    np.testing.assert_allclose(noise, again)
    assert not np.allclose(noise, np.asarray(layer(x, training=True)) - x)


def test_gaussian_dropout_statistics_and_seed():
    rate = 0.2
    x = np.full((200, 50), 2.0, "float32")
    layer = kk.layers.GaussianDropout(rate, seed=5)
    factor = np.asarray(layer(x, training=True)) / x
    assert abs(factor.mean() - 1.0) < 0.01
    assert abs(factor.std() - math.sqrt(rate / (1 - rate))) < 0.01
    again = np.asarray(kk.layers.GaussianDropout(rate, seed=5)(x, training=True)) / x
    np.testing.assert_allclose(factor, again)
    assert not np.allclose(factor, np.asarray(layer(x, training=True)) / x)


# ---- ActivityRegularization -------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{"l1": 0.1}, {"l2": 0.3}, {"l1": 0.01, "l2": 0.02}])
@pytest.mark.parametrize("training", [True, None])
def test_activity_regularization_output_and_losses_match_keras(kwargs, training):
    x = _normal(4, 3)
    kk_layer, k_layer = _pair("ActivityRegularization", kwargs)
    assert_matches_keras(kk_layer, k_layer, x, training=training)
    assert len(kk_layer.losses) == len(k_layer.losses) == 1
    np.testing.assert_allclose(float(kk_layer.losses[0]), float(k_layer.losses[0]), rtol=1e-5)


def test_activity_regularization_config_and_symbolic():
    layer = kk.layers.ActivityRegularization(l1=0.1, l2=0.2)
    assert_config_round_trip(layer, _normal(2, 3))
    k_config = keras.layers.ActivityRegularization(l1=0.1, l2=0.2).get_config()
    assert set(layer.get_config()) == set(k_config)
    assert kk.layers.ActivityRegularization.from_config(k_config).get_config()["l2"] == 0.2
    assert layer(kk.Input(shape=(5,))).shape == (None, 5)
    assert layer.supports_masking


# ---- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("Dropout", {"rate": 1.5}, r"Dropout 'dropout': invalid `rate`\. Expected a float between "
                               r"0 and 1\. Received: rate=1\.5"),
    ("Dropout", {"rate": "0.5"}, r"Received: rate='0\.5'"),
    ("Dropout", {"rate": 0.5, "noise_shape": "abc"}, r"Dropout 'dropout': invalid `noise_shape`"
                                                     r"\..*Received: noise_shape='abc'"),
    ("Dropout", {"rate": 0.5, "noise_shape": (2, 0)}, r"Received: noise_shape=\(2, 0\)"),
    ("Dropout", {"rate": 0.5, "noise_shape": 3}, r"Received: noise_shape=3"),
    ("SpatialDropout1D", {"rate": -0.1}, r"SpatialDropout1D 'spatial_dropout1d': invalid `rate`"),
    ("SpatialDropout2D", {"rate": 0.1, "data_format": "nhwc"},
     r"SpatialDropout2D 'spatial_dropout2d': invalid `data_format`\. Expected 'channels_last' "
     r"or 'channels_first'\. Received: data_format='nhwc'"),
    ("GaussianNoise", {"stddev": 2.0}, r"GaussianNoise 'gaussian_noise': invalid `stddev`\. "
                                       r"Expected a float between 0 and 1\. Received: stddev=2\.0"),
    ("GaussianDropout", {"rate": -1}, r"GaussianDropout 'gaussian_dropout': invalid `rate`"),
])
def test_regularization_layers_reject_bad_arguments(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(kk.layers, name)(**kwargs)


def test_dropout_noise_shape_of_wrong_rank_names_layer_and_shapes():
    layer = kk.layers.Dropout(0.5, noise_shape=(None, 1))
    with pytest.raises(ValueError, match=r"Dropout 'dropout': `noise_shape` must have one entry "
                                         r"per input axis\. Expected 3 entries\. Received: "
                                         r"noise_shape=\(None, 1\) for inputs of shape \(2, 3, 4\)"):
        layer(np.ones((2, 3, 4), "float32"), training=True)


@pytest.mark.parametrize(("layer", "shape", "match"), [
    (lambda: kk.layers.SpatialDropout1D(0.5), (2, 3),
     r"SpatialDropout1D 'spatial_dropout1d' expected inputs of rank 3, but received rank 2\. "
     r"Received: inputs=float32\[2, 3\]"),
    (lambda: kk.layers.SpatialDropout2D(0.5), (2, 3, 4),
     r"SpatialDropout2D 'spatial_dropout2d' expected inputs of rank 4, but received rank 3\. "
     r"Received: inputs=float32\[2, 3, 4\]"),
])
def test_spatial_dropout_rejects_inputs_of_wrong_rank(layer, shape, match):
    with pytest.raises(ValueError, match=match):
        layer()(np.ones(shape, "float32"), training=True)


def test_spatial_dropout_has_keras_signature():
    with pytest.raises(TypeError, match="noise_shape"):
        kk.layers.SpatialDropout1D(0.5, noise_shape=(1, 1, 1))
