"""Reshaping layers (Flatten, Reshape, Permute, RepeatVector) against Keras 3."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _pair(name, *args, **kwargs):
    return getattr(kk.layers, name)(*args, **kwargs), getattr(keras.layers, name)(*args, **kwargs)


CASES = [
    ("Flatten", (), {}, (2, 3, 4)),
    ("Flatten", (), {}, (2, 3, 4, 5)),
    ("Flatten", (), {}, (2, 3)),
    ("Flatten", (), {}, (4,)),
    ("Flatten", (), {"data_format": "channels_first"}, (2, 3, 4, 5)),
    ("Reshape", ((6, 2),), {}, (3, 12)),
    ("Reshape", ((-1, 2),), {}, (3, 4, 3)),
    ("Reshape", ((2, -1, 3),), {}, (3, 12)),
    ("Reshape", ((12,),), {}, (2, 3, 4)),
    ("Permute", ((2, 1),), {}, (2, 3, 4)),
    ("Permute", ((3, 1, 2),), {}, (2, 3, 4, 5)),
    ("RepeatVector", (3,), {}, (2, 5)),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), CASES)
def test_reshaping_layers_match_keras(name, args, kwargs, shape):
    assert_matches_keras(*_pair(name, *args, **kwargs), _normal(*shape))


@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), CASES)
def test_reshaping_layers_config_round_trip_and_keras_config(name, args, kwargs, shape):
    kk_layer, k_layer = _pair(name, *args, **kwargs)
    assert_config_round_trip(kk_layer, _normal(*shape))
    k_config = k_layer.get_config()
    kk_config = type(kk_layer).from_config(k_config).get_config()
    assert set(kk_config) == set(k_config)
    for key in ("data_format", "target_shape", "dims", "n"):
        if key in k_config:
            assert kk_config[key] == k_config[key]


@pytest.mark.parametrize(("name", "args", "input_shape"), [
    ("Flatten", (), (3, 4)),
    ("Flatten", (), (None, 4)),
    ("Flatten", (), ()),
    ("Reshape", ((-1, 2),), (3, 4)),
    ("Reshape", ((-1, 2),), (None, 4)),
    ("Reshape", ((5, -1),), (None, 4)),
    ("Reshape", ((4, 3),), (12,)),
    ("Permute", ((2, 3, 1),), (None, 4, 5)),
    ("RepeatVector", (4,), (6,)),
])
def test_reshaping_layers_symbolic_shape_matches_keras(name, args, input_shape):
    kk_layer, k_layer = _pair(name, *args)
    expected = k_layer.compute_output_shape((None, *input_shape))
    assert kk_layer(kk.Input(shape=input_shape)).shape == tuple(expected)
    assert kk_layer.compute_output_shape((None, *input_shape)) == tuple(expected)


def test_reshaping_layers_in_a_sequential_model():
    x = _normal(2, 4, 6)
    model = kk.Sequential([kk.Input(shape=(4, 6)), kk.layers.Permute((2, 1)),
                           kk.layers.Reshape((-1,)), kk.layers.RepeatVector(2),
                           kk.layers.Flatten()])
    k_model = keras.Sequential([keras.Input(shape=(4, 6)), keras.layers.Permute((2, 1)),
                                keras.layers.Reshape((-1,)), keras.layers.RepeatVector(2),
                                keras.layers.Flatten()])
    assert model.layers[-1].output.shape == k_model.output_shape == (None, 48)
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(k_model(x)))


@pytest.mark.parametrize(("name", "args", "kwargs", "error", "match"), [
    ("Flatten", (), {"data_format": "nhwc"}, ValueError,
     r"Flatten 'flatten': invalid `data_format`\. Expected 'channels_last' or 'channels_first'"
     r"\. Received: data_format='nhwc'"),
    ("Reshape", ((2, -1, -1),), {}, ValueError,
     r"Reshape 'reshape': `target_shape` may hold at most one -1 .*Received: "
     r"target_shape=\(2, -1, -1\)"),
    ("Reshape", ((2, -3),), {}, ValueError,
     r"Reshape 'reshape': invalid `target_shape`\..*Received: target_shape=\(2, -3\)"),
    ("Reshape", (5,), {}, ValueError, r"invalid `target_shape`.*Received: target_shape=5"),
    ("Reshape", ((2.5,),), {}, ValueError, r"Received: target_shape=\(2\.5,\)"),
    ("Permute", ((1, 3),), {}, ValueError,
     r"Permute 'permute': invalid permutation `dims`\..*Received: dims=\(1, 3\)"),
    ("Permute", ((0, 1),), {}, ValueError, r"Received: dims=\(0, 1\)"),
    ("Permute", (2,), {}, ValueError, r"Received: dims=2"),
    ("RepeatVector", (2.0,), {}, TypeError,
     r"RepeatVector 'repeat_vector': `n` must be an integer\. Received: n=2\.0 of type float"),
    ("RepeatVector", (0,), {}, ValueError,
     r"RepeatVector 'repeat_vector': `n` must be a positive integer\. Received: n=0"),
])
def test_reshaping_layers_reject_bad_arguments(name, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        getattr(kk.layers, name)(*args, **kwargs)


def test_reshape_rejects_inputs_of_the_wrong_size():
    layer = kk.layers.Reshape((5, -1))
    with pytest.raises(ValueError, match=r"Reshape 'reshape': cannot reshape inputs of shape "
                                         r"\(2, 12\) \(12 values per sample\) to "
                                         r"target_shape=\(5, -1\)\. Expected a target shape "
                                         r"holding the same number of values\. Received: "
                                         r"input_shape=\(2, 12\)"):
        layer(np.ones((2, 12), "float32"))
    with pytest.raises(ValueError, match=r"Reshape 'reshape_1': cannot reshape inputs of shape "
                                         r"\(None, 3, 4\)"):
        kk.layers.Reshape((5, 2))(kk.Input(shape=(3, 4)))


@pytest.mark.parametrize(("layer", "shape", "match"), [
    (lambda: kk.layers.Permute((2, 1)), (2, 3),
     r"Permute 'permute' expected inputs of rank 3, but received rank 2\. "
     r"Received: inputs=float32\[2, 3\]"),
    (lambda: kk.layers.RepeatVector(2), (2, 3, 4),
     r"RepeatVector 'repeat_vector' expected inputs of rank 2, but received rank 3\. "
     r"Received: inputs=float32\[2, 3, 4\]"),
    (lambda: kk.layers.Flatten(), (),
     r"Flatten 'flatten' expected inputs of rank at least 1, but received rank 0\. "
     r"Received: inputs=float32\[\]"),
])
def test_reshaping_layers_reject_inputs_of_wrong_rank(layer, shape, match):
    with pytest.raises(ValueError, match=match):
        layer()(np.ones(shape, "float32"))


def test_reshaping_layers_reject_symbolic_inputs_of_wrong_rank():
    with pytest.raises(ValueError, match=r"Permute 'permute' expected inputs of rank 3, but "
                                         r"received rank 2\. Received: inputs=float32\[None, 3\]"):
        kk.layers.Permute((2, 1))(kk.Input(shape=(3,)))
