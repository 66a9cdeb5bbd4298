"""Pooling layers: differential tests against Keras 3, configs, symbolic shapes, masks, errors."""

import json

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)

CASES = [
    ("MaxPooling1D", {}, (2, 7, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 3)),
    ("MaxPooling2D", {}, (2, 8, 8, 3)),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 8, 3)),
    ("MaxPooling2D", {"pool_size": (2, 3), "strides": (1, 2),
                      "data_format": "channels_first"}, (2, 3, 7, 8)),
    ("MaxPooling3D", {"padding": "same"}, (1, 3, 4, 5, 2)),
    ("AveragePooling1D", {"pool_size": 2}, (2, 7, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 2, "padding": "same",
                          "data_format": "channels_first"}, (2, 3, 8)),
    ("AveragePooling2D", {"pool_size": 2}, (2, 8, 8, 3)),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 8, 3)),
    ("AveragePooling2D", {"pool_size": (3, 2), "strides": 1, "padding": "same",
                          "data_format": "channels_first"}, (2, 3, 5, 6)),
    ("AveragePooling3D", {"pool_size": 2, "padding": "same"}, (1, 3, 4, 5, 2)),
    ("GlobalMaxPooling1D", {}, (2, 7, 3)),
    ("GlobalMaxPooling1D", {"data_format": "channels_first", "keepdims": True}, (2, 3, 7)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 5, 6, 3)),
    ("GlobalMaxPooling2D", {"data_format": "channels_first"}, (2, 3, 5, 6)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 7, 3)),
    ("GlobalAveragePooling1D", {"data_format": "channels_first"}, (2, 3, 7)),
    ("GlobalAveragePooling2D", {}, (2, 5, 6, 3)),
    ("GlobalAveragePooling2D", {"data_format": "channels_first", "keepdims": True},
     (2, 3, 5, 6)),
    ("GlobalMaxPooling3D", {}, (1, 3, 4, 5, 2)),
    ("GlobalAveragePooling3D", {"keepdims": True}, (1, 3, 4, 5, 2)),
]


def _ids(case):
    name, kwargs, _ = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_pooling_layers_match_keras(case):
    name, kwargs, shape = case
    x = RNG.normal(size=shape).astype("float32")
    assert_matches_keras(getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs),
                         x)


def test_average_pooling_same_padding_averages_only_real_entries():
    x = np.arange(1.0, 6.0, dtype="float32").reshape(1, 5, 1)
    out = kk.layers.AveragePooling1D(2, padding="same")(x)
    # windows [1, 2], [3, 4], [5] -> the last one is not diluted by the padding
    np.testing.assert_allclose(np.asarray(out)[0, :, 0], [1.5, 3.5, 5.0])


@pytest.mark.parametrize("data_format, shape", [
    ("channels_last", (3, 5, 2)),
    ("channels_first", (3, 2, 5)),
])
def test_global_average_pooling_1d_honours_mask(data_format, shape):
    x = RNG.normal(size=shape).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], bool)
    kwargs = {"data_format": data_format}
    kk_out, k_out = assert_matches_keras(
        kk.layers.GlobalAveragePooling1D(**kwargs), keras.layers.GlobalAveragePooling1D(**kwargs),
        x, call_kwargs={"mask": mask})
    steps = 1 if data_format == "channels_last" else 2
    expected = [np.take(x[i], np.flatnonzero(m), axis=steps - 1).mean(axis=steps - 1)
                for i, m in enumerate(mask)]
    np.testing.assert_allclose(kk_out[0], np.stack(expected), rtol=1e-6)
    layer = kk.layers.GlobalAveragePooling1D()
    assert layer.supports_masking and layer.compute_mask(x, mask) is None


@pytest.mark.parametrize("name, kwargs, shape", [
    ("MaxPooling2D", {"padding": "same", "data_format": "channels_first"}, (2, 7, 8)),
    ("AveragePooling3D", {"pool_size": (2, 1, 2), "strides": 1}, (4, 3, 5, 2)),
    ("GlobalMaxPooling1D", {"data_format": "channels_first", "keepdims": True}, (3, 6)),
    ("GlobalAveragePooling2D", {}, (5, 6, 3)),
])
def test_pooling_config_round_trip_and_keras_config(name, kwargs, shape):
    layer = getattr(kk.layers, name)(**kwargs)
    assert_config_round_trip(layer, np.ones((2, *shape), "float32"))
    config, k_config = layer.get_config(), getattr(keras.layers, name)(**kwargs).get_config()
    assert set(config) == set(k_config)
    for key in set(config) - {"name", "dtype"}:
        assert config[key] == k_config[key], key


@pytest.mark.parametrize("name, kwargs, shape", [
    ("MaxPooling2D", {"pool_size": 3, "strides": 2}, (None, None, 3)),
    ("AveragePooling2D", {"pool_size": 2, "padding": "same"}, (None, 7, 3)),
    ("MaxPooling1D", {"data_format": "channels_first"}, (3, 9)),
    ("AveragePooling3D", {"pool_size": 2}, (4, 5, None, 2)),
    ("GlobalAveragePooling2D", {"keepdims": True}, (None, None, 3)),
    ("GlobalMaxPooling1D", {}, (None, 4)),
])
def test_pooling_symbolic_output_shape_matches_keras(name, kwargs, shape):
    out = getattr(kk.layers, name)(**kwargs)(kk.Input(shape=shape))
    k_out = getattr(keras.layers, name)(**kwargs)(keras.Input(shape=shape))
    assert out.shape == tuple(k_out.shape)


def test_pooling_aliases_are_the_keras_names():
    assert kk.layers.MaxPool2D is kk.layers.MaxPooling2D
    assert kk.layers.AvgPool1D is kk.layers.AveragePooling1D
    assert kk.layers.GlobalAvgPool2D is kk.layers.GlobalAveragePooling2D
    assert kk.layers.GlobalMaxPool3D is kk.layers.GlobalMaxPooling3D


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    ({"pool_size": 0}, r"`pool_size` must contain only positive integers\. "
                       r"Received: pool_size=0\."),
    ({"pool_size": (2, 2, 2)}, r"`pool_size` must be a positive integer or a tuple of 2 "
                               r"positive integers\. Received: pool_size=\(2, 2, 2\)\."),
    ({"strides": (2, -1)}, r"`strides` must contain only positive integers\. "
                           r"Received: strides=\(2, -1\)\."),
    ({"padding": "causal"}, r"unknown `padding`\. Expected one of \('valid', 'same'\)\. "
                            r"Received: padding='causal'\."),
    ({"data_format": "channels_middle"}, r"unknown `data_format`\. Expected one of "
                                         r"\('channels_last', 'channels_first'\)\. "
                                         r"Received: data_format='channels_middle'\."),
])
def test_pooling_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=r"MaxPooling2D 'p': " + message):
        kk.layers.MaxPooling2D(name="p", **kwargs)


def test_global_pooling_rejects_bad_data_format():
    with pytest.raises(ValueError, match=r"GlobalAveragePooling1D 'g': unknown `data_format`"):
        kk.layers.GlobalAveragePooling1D(data_format="nwc", name="g")


@pytest.mark.parametrize("layer, shape, rank", [
    (lambda: kk.layers.MaxPooling2D(name="p"), (2, 8, 3), 4),
    (lambda: kk.layers.AveragePooling1D(2, name="p"), (2, 8, 8, 3), 3),
    (lambda: kk.layers.GlobalMaxPooling2D(name="p"), (2, 8), 4),
])
def test_pooling_wrong_rank_names_layer_and_shapes(layer, shape, rank):
    layer = layer()
    dims = ", ".join(map(str, shape))
    with pytest.raises(ValueError, match=rf"{type(layer).__name__} 'p' expected inputs of rank "
                                         rf"{rank}, but received rank {len(shape)}\. "
                                         rf"Received: inputs=float32\[{dims}\]"):
        layer(np.ones(shape, "float32"))


def test_pooling_valid_window_larger_than_input_is_a_clear_error():
    with pytest.raises(ValueError, match=r"AveragePooling2D 'p': the input is smaller than the "
                                         r"pooling window\. Expected every spatial dimension to "
                                         r"be at least pool_size=\(3, 3\) with padding='valid'\. "
                                         r"Received: inputs=float32\[1, 2, 5, 1\]"):
        kk.layers.AveragePooling2D(3, name="p")(np.ones((1, 2, 5, 1), "float32"))


@pytest.mark.parametrize("name, kwargs", [
    ("MaxPooling2D", {"pool_size": 3, "strides": (1, 2), "padding": "same"}),
    ("AveragePooling1D", {"pool_size": 2, "data_format": "channels_first"}),
    ("GlobalAveragePooling1D", {"keepdims": True}),
])
def test_pooling_configs_move_between_keras_and_kernelkit(name, kwargs):
    k_config = json.loads(json.dumps(getattr(keras.layers, name)(**kwargs).get_config()))
    layer = getattr(kk.layers, name).from_config(k_config)
    back = getattr(keras.layers, name).from_config(json.loads(json.dumps(layer.get_config())))
    for config in (layer.get_config(), back.get_config()):
        for key, value in k_config.items():
            if key != "dtype":
                assert json.loads(json.dumps(config[key])) == value, key
