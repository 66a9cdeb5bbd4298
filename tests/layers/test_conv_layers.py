"""Convolution layers: differential tests against Keras 3, configs, symbolic shapes, errors."""

import json
import re

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)

CASES = [
    ("Conv1D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 9, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
     (2, 8, 3)),
    ("Conv1D", {"filters": 6, "kernel_size": 2, "groups": 3, "activation": "relu"}, (2, 8, 3)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "same",
                "data_format": "channels_first"}, (2, 3, 8)),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 8, 7, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": (2, 3), "strides": (1, 2), "use_bias": False},
     (2, 8, 8, 3)),
    ("Conv2D", {"filters": 6, "kernel_size": 3, "groups": 3, "activation": "tanh"},
     (2, 8, 8, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": (2, 1), "padding": "same",
                "data_format": "channels_first"}, (2, 3, 8, 8)),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same",
                "data_format": "channels_first"}, (1, 2, 5, 4, 3)),
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 5, 3)),
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 1},
     (2, 5, 3)),
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same",
                         "data_format": "channels_first"}, (2, 3, 5)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 4, 5, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 2, "strides": 3}, (2, 4, 4, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 4, "strides": 2, "padding": "same",
                         "output_padding": 1}, (2, 4, 4, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "dilation_rate": 2}, (2, 4, 4, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": (2, 1),
                         "data_format": "channels_first", "activation": "relu"}, (2, 3, 4, 5)),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
     (1, 2, 3, 4, 3)),
    ("SeparableConv1D", {"filters": 4, "kernel_size": 3, "padding": "same",
                         "depth_multiplier": 2}, (2, 8, 3)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same",
                         "depth_multiplier": 2}, (2, 8, 8, 3)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2,
                         "data_format": "channels_first"}, (2, 3, 8, 8)),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (2, 8, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same",
                         "depth_multiplier": 2}, (2, 8, 8, 3)),
    ("DepthwiseConv2D", {"kernel_size": (3, 2), "dilation_rate": 2, "padding": "same",
                         "data_format": "channels_first"}, (2, 3, 8, 8)),
]


def _ids(case):
    name, kwargs, _ = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


def _zero_initializers(name):
    """Cheap initializers: compiling a random initializer per weight shape costs seconds."""
    if name.startswith("Separable"):
        kernels = ["depthwise_initializer", "pointwise_initializer"]
    else:
        kernels = ["depthwise_initializer" if name.startswith("Depthwise") else
                   "kernel_initializer"]
    return dict.fromkeys([*kernels, "bias_initializer"], "zeros")


def _keras_layer_with_random_weights(name, kwargs, shape):
    """A built Keras layer whose weights (bias included, to catch broadcasting bugs) are random."""
    layer = getattr(keras.layers, name)(**kwargs, **_zero_initializers(name))
    layer.build(shape)
    layer.set_weights([RNG.normal(scale=0.5, size=w.shape).astype("float32")
                       for w in layer.get_weights()])
    return layer


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_conv_layers_match_keras(case):
    name, kwargs, shape = case
    x = RNG.normal(size=shape).astype("float32")
    kk_layer = getattr(kk.layers, name)(**kwargs, **_zero_initializers(name))
    assert_matches_keras(kk_layer, _keras_layer_with_random_weights(name, kwargs, shape), x)


def test_separable_conv_weight_names_and_shapes_follow_keras():
    weight_names = ["depthwise_kernel", "pointwise_kernel", "bias"]
    args = {"filters": 5, "kernel_size": (2, 3), **_zero_initializers("SeparableConv2D")}
    kk_layer, k_layer = kk.layers.SeparableConv2D(**args), keras.layers.SeparableConv2D(**args)
    x = np.ones((1, 6, 6, 4), "float32")
    kk_layer(x)
    k_layer(x)
    assert [w.get_metadata()["name"] for w in kk_layer.weights] == weight_names
    assert [w.path.split("/")[-1] for w in k_layer.weights] == weight_names
    assert [tuple(w.shape) for w in kk_layer.weights] == [tuple(w.shape) for w in k_layer.weights]


def test_depthwise_kernel_has_keras_layout():
    layer = kk.layers.DepthwiseConv2D((3, 2), depth_multiplier=4,
                                      **_zero_initializers("DepthwiseConv2D"))
    layer(np.ones((1, 5, 5, 3), "float32"))
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2, 3, 4), (12,)]


@pytest.mark.parametrize("name, kwargs", [
    ("Conv1D", {"filters": 3, "kernel_size": 2, "padding": "causal", "activation": "relu",
                "kernel_regularizer": "l2", "bias_constraint": "non_neg"}),
    ("Conv2D", {"filters": 6, "kernel_size": (3, 1), "strides": 2, "groups": 2,
                "data_format": "channels_first", "activity_regularizer": "l1"}),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2}),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1,
                         "kernel_constraint": "max_norm"}),
    ("Conv3DTranspose", {"filters": 3, "kernel_size": 3}),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3, "depth_multiplier": 2,
                         "pointwise_regularizer": "l2", "depthwise_initializer": "he_normal"}),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2, "use_bias": False}),
])
def test_conv_config_round_trip_and_keras_keys(name, kwargs):
    kwargs = {**_zero_initializers(name), **kwargs}
    layer = getattr(kk.layers, name)(**kwargs)
    rank = int(re.search(r"(\d)D", name).group(1))
    shape = (2, 4) + (6,) * rank if kwargs.get("data_format") == "channels_first" else (
        (2,) + (6,) * rank + (4,))
    assert_config_round_trip(layer, np.ones(shape, "float32"))
    config, k_config = layer.get_config(), getattr(keras.layers, name)(**kwargs).get_config()
    assert set(config) == set(k_config)
    for key, value in k_config.items():
        if key not in ("name", "dtype") and not isinstance(value, dict):
            assert config[key] == value, key


@pytest.mark.parametrize("name, kwargs, shape", [
    ("Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
     (None, None, 3)),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, (3, 9, None)),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal"}, (None, 3)),
    ("Conv2DTranspose", {"filters": 4, "kernel_size": 3, "strides": 2}, (None, 5, 3)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3}, (None, None, 3)),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (8, 8, 3)),
])
def test_conv_symbolic_output_shape_matches_keras(name, kwargs, shape):
    kwargs = {**kwargs, **_zero_initializers(name)}
    out = getattr(kk.layers, name)(**kwargs)(kk.Input(shape=shape))
    k_out = getattr(keras.layers, name)(**kwargs)(keras.Input(shape=shape))
    assert out.shape == tuple(k_out.shape)


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("filters", [0, -2, 2.5, None, True])
def test_conv_rejects_bad_filters(filters):
    with pytest.raises(ValueError, match=r"Conv2D 'c': `filters` must be a positive integer\. "
                                         rf"Received: filters={filters!r}\."):
        kk.layers.Conv2D(filters, 3, name="c")
    with pytest.raises(ValueError, match=r"Conv1DTranspose 't': `filters` must be a positive"):
        kk.layers.Conv1DTranspose(filters, 3, name="t")
    with pytest.raises(ValueError, match=r"SeparableConv2D 's': `filters` must be a positive"):
        kk.layers.SeparableConv2D(filters, 3, name="s")


@pytest.mark.parametrize("kwargs, message", [
    ({"kernel_size": 0}, r"`kernel_size` must contain only positive integers\. "
                         r"Received: kernel_size=0\."),
    ({"kernel_size": (3,)}, r"`kernel_size` must be a positive integer or a tuple of 2 positive "
                            r"integers\. Received: kernel_size=\(3,\)\."),
    ({"kernel_size": "3"}, r"`kernel_size` must be a positive integer or a tuple of 2 positive "
                           r"integers\. Received: kernel_size='3'\."),
    ({"kernel_size": 3, "strides": (1, 0)}, r"`strides` must contain only positive integers"),
    ({"kernel_size": 3, "padding": "full"}, r"unknown `padding`\. Expected one of \('valid', "
                                            r"'same'\)\. Received: padding='full'\."),
    ({"kernel_size": 3, "padding": "causal"}, r"unknown `padding`\. .*padding='causal'"),
    ({"kernel_size": 3, "data_format": "NHWC"}, r"unknown `data_format`\. Expected one of "
                                                r"\('channels_last', 'channels_first'\)\. "
                                                r"Received: data_format='NHWC'\."),
    ({"kernel_size": 3, "strides": 2, "dilation_rate": 2},
     r"`strides` > 1 cannot be combined with `dilation_rate` > 1\. "
     r"Received: strides=\(2, 2\), dilation_rate=\(2, 2\)\."),
    ({"kernel_size": 3, "groups": 0}, r"`groups` must be a positive integer\. "
                                      r"Received: groups=0\."),
    ({"kernel_size": 3, "groups": 3}, r"`filters` must be divisible by `groups`\. "
                                      r"Received: filters=4, groups=3\."),
])
def test_conv2d_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=r"Conv2D 'c': " + message):
        kk.layers.Conv2D(4, name="c", **kwargs)


def test_conv1d_accepts_causal_padding_only_for_1d():
    assert kk.layers.Conv1D(2, 3, padding="CAUSAL").padding == "causal"
    with pytest.raises(ValueError, match=r"Expected one of \('valid', 'same', 'causal'\)"):
        kk.layers.Conv1D(2, 3, padding="full")


def test_conv_transpose_rejects_output_padding_not_below_strides():
    with pytest.raises(ValueError, match=r"Conv2DTranspose 't': every `output_padding` value "
                                         r"must be less than the matching stride\. "
                                         r"Received: output_padding=\(1, 2\), "
                                         r"strides=\(2, 2\)\."):
        kk.layers.Conv2DTranspose(2, 3, strides=2, output_padding=(1, 2), name="t")
    with pytest.raises(ValueError, match=r"`output_padding` must contain only non-negative"):
        kk.layers.Conv2DTranspose(2, 3, output_padding=-1)


@pytest.mark.parametrize("name", ["DepthwiseConv2D", "SeparableConv2D"])
def test_depthwise_rejects_bad_depth_multiplier(name):
    args = (3,) if name == "DepthwiseConv2D" else (4, 3)
    with pytest.raises(ValueError, match=rf"{name} 'd': `depth_multiplier` must be a positive "
                                         r"integer\. Received: depth_multiplier=0\."):
        getattr(kk.layers, name)(*args, depth_multiplier=0, name="d")


def test_conv_wrong_rank_names_layer_expected_rank_and_received_shape():
    with pytest.raises(ValueError, match=r"Conv2D 'c' expected inputs of rank 4, but received "
                                         r"rank 3\. Received: inputs=float32\[2, 8, 3\]"):
        kk.layers.Conv2D(4, 3, name="c")(np.ones((2, 8, 3), "float32"))
    with pytest.raises(ValueError, match=r"Conv1D 'c1' expected inputs of rank 3, but received "
                                         r"rank 4\. Received: inputs=float32\[None, 8, 8, 3\]"):
        kk.layers.Conv1D(4, 3, name="c1")(kk.Input(shape=(8, 8, 3)))


def test_conv_wrong_channel_count_after_build_changes_nothing():
    layer = kk.layers.Conv2D(4, 3, name="c", kernel_initializer="zeros")
    layer(np.ones((1, 8, 8, 3), "float32"))
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"Conv2D 'c' expected inputs whose last axis is 3, but "
                                         r"received inputs=float32\[1, 8, 8, 5\]"):
        layer(np.ones((1, 8, 8, 5), "float32"))
    first = kk.layers.DepthwiseConv2D(3, data_format="channels_first", name="d",
                                      depthwise_initializer="zeros")
    first(np.ones((1, 3, 8, 8), "float32"))
    with pytest.raises(ValueError, match=r"DepthwiseConv2D 'd' expected inputs whose axis 1 is "
                                         r"3, but received inputs=float32\[1, 4, 8, 8\]"):
        first(np.ones((1, 4, 8, 8), "float32"))
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_conv_needs_known_channels_and_divisible_groups():
    with pytest.raises(ValueError, match=r"Conv2D 'c': the channel axis of the input must be "
                                         r"known to build the layer\. Expected an int at axis "
                                         r"-1 .*Received: inputs=float32\[None, 8, 8, None\]"):
        kk.layers.Conv2D(4, 3, name="c")(kk.Input(shape=(8, 8, None)))
    with pytest.raises(ValueError, match=r"Conv2D 'g': the number of input channels must be "
                                         r"divisible by `groups`=2\. Received: inputs with 3 "
                                         r"channels"):
        kk.layers.Conv2D(4, 3, groups=2, name="g")(np.ones((1, 8, 8, 3), "float32"))


def test_conv_input_smaller_than_kernel_is_a_clear_error():
    message = (r"Conv2D 'c': the input is too small for the kernel\. Expected every spatial "
               r"dimension to be at least the dilated kernel size \(5, 5\) with "
               r"padding='valid'\. Received: inputs=float32\[1, 3, 8, 2\]")
    with pytest.raises(ValueError, match=message):
        kk.layers.Conv2D(4, 5, name="c")(np.ones((1, 3, 8, 2), "float32"))
    layer = kk.layers.DepthwiseConv1D(3, dilation_rate=3, name="d",
                                      depthwise_initializer="zeros")
    layer(np.ones((1, 9, 2), "float32"))
    with pytest.raises(ValueError, match=r"DepthwiseConv1D 'd': the input is too small.*\(7,\)"):
        layer(np.ones((1, 6, 2), "float32"))
    same = kk.layers.Conv2D(4, 5, padding="same", kernel_initializer="zeros")
    assert same(np.ones((1, 3, 3, 2), "float32")).shape == (1, 3, 3, 4)


def test_conv_aliases_are_the_keras_names():
    assert kk.layers.Convolution2D is kk.layers.Conv2D
    assert kk.layers.SeparableConvolution2D is kk.layers.SeparableConv2D
    assert kk.layers.Convolution2DTranspose is kk.layers.Conv2DTranspose


@pytest.mark.parametrize("name, kwargs", [
    ("Conv2D", {"filters": 3, "kernel_size": (3, 1), "strides": 2, "padding": "same"}),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}),
    ("SeparableConv2D", {"filters": 3, "kernel_size": 3, "depth_multiplier": 2}),
    ("DepthwiseConv2D", {"kernel_size": 3, "data_format": "channels_first"}),
])
def test_conv_configs_move_between_keras_and_kernelkit(name, kwargs):
    k_config = json.loads(json.dumps(getattr(keras.layers, name)(**kwargs).get_config()))
    layer = getattr(kk.layers, name).from_config(k_config)
    back = getattr(keras.layers, name).from_config(json.loads(json.dumps(layer.get_config())))
    for config in (layer.get_config(), back.get_config()):
        for key, value in k_config.items():
            if not isinstance(value, dict):
                assert json.loads(json.dumps(config[key])) == value, key
