"""ZeroPadding, Cropping and UpSampling layers: Keras differential tests, configs, errors."""

import json

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)

CASES = [
    ("ZeroPadding1D", {}, (2, 5, 3)),
    ("ZeroPadding1D", {"padding": (2, 0), "data_format": "channels_first"}, (2, 3, 5)),
    ("ZeroPadding2D", {}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": (2, 1)}, (2, 4, 5, 3)),
    ("ZeroPadding2D", {"padding": ((1, 0), (0, 3)), "data_format": "channels_first"},
     (2, 3, 4, 5)),
    ("Cropping1D", {}, (2, 6, 3)),
    ("Cropping1D", {"cropping": (0, 2)}, (2, 6, 3)),
    ("Cropping2D", {}, (2, 6, 7, 3)),
    ("Cropping2D", {"cropping": 2}, (2, 6, 7, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (2, 3)), "data_format": "channels_first"},
     (2, 3, 6, 7)),
    ("UpSampling1D", {}, (2, 4, 3)),
    ("UpSampling1D", {"size": 3}, (2, 4, 3)),
    ("UpSampling2D", {}, (2, 3, 4, 3)),
    ("UpSampling2D", {"size": (2, 3), "data_format": "channels_first"}, (2, 3, 3, 4)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 3)),
    ("UpSampling2D", {"size": 2, "interpolation": "BILINEAR", "data_format": "channels_first"},
     (2, 3, 3, 4)),
    ("UpSampling2D", {"size": 3, "interpolation": "bicubic"}, (1, 3, 4, 2)),
]


def _ids(case):
    name, kwargs, _ = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_spatial_reshaping_layers_match_keras(case):
    name, kwargs, shape = case
    x = RNG.normal(size=shape).astype("float32")
    assert_matches_keras(getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs),
                         x)


def test_zero_padding_and_cropping_are_inverse():
    x = RNG.normal(size=(2, 4, 5, 3)).astype("float32")
    pads = ((1, 2), (3, 0))
    padded = kk.layers.ZeroPadding2D(pads)(x)
    assert float(np.abs(np.asarray(padded)).sum()) == pytest.approx(float(np.abs(x).sum()))
    np.testing.assert_array_equal(np.asarray(kk.layers.Cropping2D(pads)(padded)), x)


@pytest.mark.parametrize("name, kwargs, shape", [
    ("ZeroPadding1D", {"padding": (1, 2)}, (5, 3)),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 2)), "data_format": "channels_first"},
     (3, 4, 5)),
    ("Cropping1D", {"cropping": (2, 1)}, (6, 3)),
    ("Cropping2D", {"cropping": ((1, 2), (0, 1))}, (6, 7, 3)),
    ("UpSampling1D", {"size": 3}, (4, 3)),
    ("UpSampling2D", {"size": (1, 2), "interpolation": "bilinear",
                      "data_format": "channels_first"}, (3, 4, 5)),
])
def test_spatial_reshaping_config_round_trip_and_keras_config(name, kwargs, shape):
    layer = getattr(kk.layers, name)(**kwargs)
    assert_config_round_trip(layer, np.ones((2, *shape), "float32"))
    config, k_config = layer.get_config(), getattr(keras.layers, name)(**kwargs).get_config()
    assert set(config) == set(k_config)
    for key in set(config) - {"name", "dtype"}:
        assert config[key] == k_config[key], key


@pytest.mark.parametrize("name, kwargs, shape", [
    ("ZeroPadding2D", {"padding": 2}, (None, None, 3)),
    ("ZeroPadding1D", {"data_format": "channels_first"}, (3, None)),
    ("Cropping2D", {"cropping": ((1, 2), (0, 1))}, (None, 7, 3)),
    ("Cropping1D", {}, (None, 3)),
    ("UpSampling2D", {"size": (2, 3)}, (None, 4, 3)),
    ("UpSampling2D", {"interpolation": "bilinear"}, (None, None, 3)),
    ("UpSampling1D", {}, (None, 3)),
])
def test_spatial_reshaping_symbolic_output_shape_matches_keras(name, kwargs, shape):
    out = getattr(kk.layers, name)(**kwargs)(kk.Input(shape=shape))
    k_out = getattr(keras.layers, name)(**kwargs)(keras.Input(shape=shape))
    assert out.shape == tuple(k_out.shape)


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make, message", [
    (lambda: kk.layers.ZeroPadding1D(-1, name="z"),
     r"ZeroPadding1D 'z': `padding` must contain only non-negative integers\. "
     r"Received: padding=-1\."),
    (lambda: kk.layers.ZeroPadding2D((1, 2, 3), name="z"),
     r"ZeroPadding2D 'z': `padding` must be an int, a tuple of 2 ints \(symmetric height, "
     r"width\) or a tuple of 2 tuples of 2 ints \(\(top, bottom\), \(left, right\)\)\. "
     r"Received: padding=\(1, 2, 3\)\."),
    (lambda: kk.layers.ZeroPadding2D(((1, 2), (1, -1)), name="z"),
     r"ZeroPadding2D 'z': `padding` must contain only non-negative integers\. "
     r"Received: padding=\(1, -1\)\."),
    (lambda: kk.layers.ZeroPadding2D(data_format="nchw", name="z"),
     r"ZeroPadding2D 'z': unknown `data_format`"),
    (lambda: kk.layers.Cropping1D((1, 2, 3), name="c"),
     r"Cropping1D 'c': `cropping` must be a non-negative integer or a tuple of 2 non-negative "
     r"integers\. Received: cropping=\(1, 2, 3\)\."),
    (lambda: kk.layers.Cropping2D("a", name="c"),
     r"Cropping2D 'c': `cropping` must be an int, a tuple of 2 ints"),
    (lambda: kk.layers.UpSampling1D(0, name="u"),
     r"UpSampling1D 'u': `size` must contain only positive integers\. Received: size=0\."),
    (lambda: kk.layers.UpSampling2D((2, 0), name="u"),
     r"UpSampling2D 'u': `size` must contain only positive integers\. "
     r"Received: size=\(2, 0\)\."),
    (lambda: kk.layers.UpSampling2D(interpolation="area", name="u"),
     r"UpSampling2D 'u': unknown `interpolation`\. Expected one of \('nearest', 'bilinear', "
     r"'bicubic', 'lanczos3', 'lanczos5'\)\. Received: interpolation='area'\."),
])
def test_spatial_reshaping_rejects_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_up_sampling_1d_size_must_be_an_int():
    with pytest.raises(TypeError, match=r"UpSampling1D 'u': `size` must be an integer\. "
                                        r"Received: size=2.0 of type float\."):
        kk.layers.UpSampling1D(2.0, name="u")


@pytest.mark.parametrize("layer, shape, rank", [
    (lambda: kk.layers.ZeroPadding2D(name="r"), (2, 8, 3), 4),
    (lambda: kk.layers.Cropping1D(name="r"), (2, 8, 8, 3), 3),
    (lambda: kk.layers.UpSampling2D(name="r"), (2, 8), 4),
])
def test_spatial_reshaping_wrong_rank_names_layer_and_shapes(layer, shape, rank):
    layer = layer()
    dims = ", ".join(map(str, shape))
    with pytest.raises(ValueError, match=rf"{type(layer).__name__} 'r' expected inputs of rank "
                                         rf"{rank}, but received rank {len(shape)}\. "
                                         rf"Received: inputs=float32\[{dims}\]"):
        layer(np.ones(shape, "float32"))


def test_cropping_everything_is_a_clear_error():
    layer = kk.layers.Cropping2D(((2, 2), (0, 0)), name="c")
    with pytest.raises(ValueError, match=r"Cropping2D 'c': the cropping removes the whole of "
                                         r"axis 1\. Expected start \+ end < 4 on that axis\. "
                                         r"Received: cropping=\(\(2, 2\), \(0, 0\)\), "
                                         r"inputs=float32\[1, 4, 6, 2\]"):
        layer(np.ones((1, 4, 6, 2), "float32"))
    with pytest.raises(ValueError, match=r"Cropping1D 'c1': the cropping removes the whole of "
                                         r"axis 1\. .*inputs=float32\[None, 3, 2\]"):
        kk.layers.Cropping1D((2, 1), name="c1")(kk.Input(shape=(3, 2)))
    built = kk.layers.Cropping1D((1, 1), name="c2")
    built(np.ones((1, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"Cropping1D 'c2': .*inputs=float32\[1, 2, 2\]"):
        built(np.ones((1, 2, 2), "float32"))


@pytest.mark.parametrize("name, kwargs", [
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3))}),
    ("Cropping1D", {"cropping": 2}),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}),
    ("UpSampling2D", {"size": 3, "interpolation": "bilinear"}),
])
def test_spatial_reshaping_configs_move_between_keras_and_kernelkit(name, kwargs):
    k_config = json.loads(json.dumps(getattr(keras.layers, name)(**kwargs).get_config()))
    layer = getattr(kk.layers, name).from_config(k_config)
    back = getattr(keras.layers, name).from_config(json.loads(json.dumps(layer.get_config())))
    for config in (layer.get_config(), back.get_config()):
        for key, value in k_config.items():
            if key != "dtype":
                assert json.loads(json.dumps(config[key])) == value, key
