"""3-D reshaping layers, SpatialDropout3D and AlphaDropout against Keras 3."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _unnamed(config):
    return {k: v for k, v in config.items() if k != "name"}


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


VOLUME_CASES = [
    ("Cropping3D", {}),
    ("Cropping3D", {"cropping": 1}),
    ("Cropping3D", {"cropping": (1, 0, 2)}),
    ("Cropping3D", {"cropping": ((1, 0), (0, 2), (2, 1))}),
    ("Cropping3D", {"cropping": ((1, 0), (0, 2), (1, 1)), "data_format": "channels_first"}),
    ("ZeroPadding3D", {}),
    ("ZeroPadding3D", {"padding": 2}),
    ("ZeroPadding3D", {"padding": (1, 0, 2)}),
    ("ZeroPadding3D", {"padding": ((1, 0), (0, 2), (2, 1)), "data_format": "channels_first"}),
    ("UpSampling3D", {}),
    ("UpSampling3D", {"size": (1, 2, 3)}),
    ("UpSampling3D", {"size": 2, "data_format": "channels_first"}),
]
X5 = _normal(2, 4, 5, 6, 3)


@pytest.mark.parametrize(("name", "kwargs"), VOLUME_CASES)
def test_volume_layers_match_keras(name, kwargs):
    assert_matches_keras(*_pair(name, kwargs), X5)


@pytest.mark.parametrize(("name", "kwargs"), VOLUME_CASES)
def test_volume_layers_configs_and_symbolic_shapes_match_keras(name, kwargs):
    kk_layer, k_layer = _pair(name, kwargs)
    assert_config_round_trip(kk_layer, X5)
    k_config = k_layer.get_config()
    kk_config = kk_layer.get_config()
    assert set(kk_config) == set(k_config)
    for key in ("cropping", "padding", "size", "data_format"):
        if key in k_config:
            assert kk_config[key] == k_config[key]
    assert _unnamed(type(kk_layer).from_config(k_config).get_config()) == _unnamed(kk_config)
    symbolic = kk_layer(kk.Input(shape=(None, 5, 6, 3))).shape
    assert symbolic == k_layer.compute_output_shape((None, None, 5, 6, 3))


@pytest.mark.parametrize("name", ["Cropping3D", "ZeroPadding3D", "UpSampling3D",
                                  "SpatialDropout3D", "AlphaDropout"])
def test_keras_file_with_the_layer_loads(name, tmp_path):
    kwargs = {"rate": 0.3} if "Dropout" in name else {}
    loaded = assert_keras_file_loads(getattr(keras.layers, name)(**kwargs), X5, tmp_path)
    assert type(loaded.layers[0]).__name__ == name


@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("Cropping3D", {"cropping": (1, 1)}, "Cropping3D 'cropping3d.*tuple of 3"),
    ("Cropping3D", {"cropping": -1}, "Cropping3D"),
    ("ZeroPadding3D", {"padding": ((1, 1), (1, 1))}, "ZeroPadding3D .*padding"),
    ("ZeroPadding3D", {"padding": ((1, 1), (1, -1), (0, 0))}, "2nd entry of padding"),
    ("UpSampling3D", {"size": (2, 2)}, "UpSampling3D .*size"),
    ("UpSampling3D", {"data_format": "nchw"}, "UpSampling3D .*data_format"),
])
def test_bad_arguments_name_the_layer(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(kk.layers, name)(**kwargs)


@pytest.mark.parametrize("name", ["Cropping3D", "ZeroPadding3D", "UpSampling3D",
                                  "SpatialDropout3D"])
def test_wrong_rank_names_the_layer(name):
    kwargs = {"rate": 0.5} if name == "SpatialDropout3D" else {}
    with pytest.raises(ValueError, match=name):
        getattr(kk.layers, name)(**kwargs)(np.ones((2, 4, 4, 3), "float32"))


def test_cropping3d_that_removes_an_axis_is_refused():
    with pytest.raises(ValueError, match="Cropping3D .*removes the whole"):
        kk.layers.Cropping3D(((2, 2), (0, 0), (0, 0)))(X5)


# ---- SpatialDropout3D and AlphaDropout ------------------------------------------------------

RANDOM_CASES = [
    ("SpatialDropout3D", {"rate": 0.4}, X5),
    ("SpatialDropout3D", {"rate": 0.4, "data_format": "channels_first"}, X5),
    ("AlphaDropout", {"rate": 0.3}, _normal(4, 6)),
    ("AlphaDropout", {"rate": 0.3, "noise_shape": (None, 1, 3)}, _normal(2, 4, 3)),
]


@pytest.mark.parametrize(("name", "kwargs", "x"), RANDOM_CASES)
@pytest.mark.parametrize("training", [None, False])
def test_random_layers_are_the_identity_at_inference_like_keras(name, kwargs, x, training):
    kk_out, _ = assert_matches_keras(*_pair(name, kwargs), x, training=training)
    np.testing.assert_array_equal(kk_out[0], x)


@pytest.mark.parametrize(("name", "kwargs", "x"), RANDOM_CASES)
def test_random_layers_config_keys_match_keras(name, kwargs, x):
    kk_layer, k_layer = _pair(name, {**kwargs, "seed": 3})
    assert_config_round_trip(kk_layer, x)
    k_config = k_layer.get_config()
    kk_config = kk_layer.get_config()
    assert set(kk_config) == set(k_config)
    assert _unnamed(type(kk_layer).from_config(k_config).get_config()) == _unnamed(kk_config)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_spatial_dropout3d_drops_whole_channels(data_format):
    layer = kk.layers.SpatialDropout3D(0.5, data_format=data_format, seed=1)
    x = np.ones((8, 3, 3, 3, 6), "float32")
    out = np.asarray(layer(x, training=True))
    axes = (1, 2, 3) if data_format == "channels_last" else (2, 3, 4)
    per_map = out.max(axis=axes)
    np.testing.assert_array_equal(out.min(axis=axes), per_map)  # constant over each map
    assert set(np.unique(per_map).tolist()) == {0.0, 2.0}


def test_alpha_dropout_keeps_mean_and_variance_of_standard_inputs():
    layer = kk.layers.AlphaDropout(0.2, seed=0)
    x = _normal(100, 400, seed=1)
    out = np.asarray(layer(x, training=True))
    assert abs(out.mean()) < 0.03
    assert abs(out.std() - 1.0) < 0.03
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p**2)) ** -0.5
    dropped = np.isclose(out, a * alpha_p - a * alpha_p * 0.2)  # the value of dropped entries
    assert 0.18 < dropped.mean() < 0.22


def test_alpha_dropout_is_deterministic_under_a_seed_and_differs_between_calls():
    x = _normal(4, 6)
    a, b = kk.layers.AlphaDropout(0.5, seed=4), kk.layers.AlphaDropout(0.5, seed=4)
    first = np.asarray(a(x, training=True))
    np.testing.assert_array_equal(first, np.asarray(b(x, training=True)))
    assert not np.array_equal(first, np.asarray(a(x, training=True)))
