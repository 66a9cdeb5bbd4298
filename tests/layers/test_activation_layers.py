"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax): Keras differential tests, configs,
symbolic use and argument errors."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

X = np.random.default_rng(0).normal(scale=3.0, size=(4, 5, 6)).astype("float32")
X[0, 0, :3] = [0.0, 1.0, 2.0]  # exact threshold hits


@pytest.mark.parametrize("kwargs", [
    {},
    {"max_value": 2.5},
    {"max_value": 6.0},
    {"negative_slope": 0.1},
    {"threshold": 1.0},
    {"negative_slope": 0.2, "threshold": 1.0, "max_value": 4.0},
    {"negative_slope": 0.2, "max_value": 3.0},
])
def test_relu_matches_keras(kwargs):
    assert_matches_keras(kk.layers.ReLU(**kwargs), keras.layers.ReLU(**kwargs), X)


@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.05}])
def test_leaky_relu_matches_keras(kwargs):
    assert kk.layers.LeakyReLU().negative_slope == keras.layers.LeakyReLU().negative_slope
    assert_matches_keras(kk.layers.LeakyReLU(**kwargs), keras.layers.LeakyReLU(**kwargs), X)


def test_leaky_relu_accepts_legacy_alpha_with_warning():
    with pytest.warns(UserWarning, match="alpha"):
        layer = kk.layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1


@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_matches_keras(alpha):
    assert_matches_keras(kk.layers.ELU(alpha=alpha), keras.layers.ELU(alpha=alpha), X)


@pytest.mark.parametrize("kwargs", [
    {},
    {"shared_axes": [1]},
    {"shared_axes": [1, 2], "alpha_initializer": "ones"},
])
def test_prelu_matches_keras(kwargs):
    kk_layer, k_layer = kk.layers.PReLU(**kwargs), keras.layers.PReLU(**kwargs)
    k_layer.build(X.shape)
    k_layer.set_weights([np.random.default_rng(1).uniform(size=w.shape)
                         for w in k_layer.get_weights()])
    assert_matches_keras(kk_layer, k_layer, X)
    assert [w.name for w in kk_layer.weights] == ["alpha"]


@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_softmax_matches_keras(axis):
    assert_matches_keras(kk.layers.Softmax(axis=axis), keras.layers.Softmax(axis=axis), X)


def test_softmax_mask_matches_keras():
    mask = np.random.default_rng(2).uniform(size=(4, 5, 6)) > 0.4
    mask[0, 0] = False  # a fully masked row gives zeros, as in Keras
    kk_out, k_out = assert_matches_keras(kk.layers.Softmax(), keras.layers.Softmax(), X,
                                         call_kwargs={"mask": mask})
    np.testing.assert_array_equal(kk_out[0][0, 0], 0.0)
    broadcast = np.array([[True, False, True, True, False, True]])
    assert_matches_keras(kk.layers.Softmax(), keras.layers.Softmax(), X,
                         call_kwargs={"mask": broadcast})


@pytest.mark.parametrize("layer", [
    kk.layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.5),
    kk.layers.LeakyReLU(0.2),
    kk.layers.PReLU(alpha_regularizer="l2", shared_axes=2),
    kk.layers.ELU(alpha=0.7),
    kk.layers.Softmax(axis=[1, 2]),
], ids=lambda layer: type(layer).__name__)
def test_activation_config_round_trip(layer):
    assert_config_round_trip(layer, X)


def test_activation_layers_on_symbolic_inputs():
    x = kk.Input(shape=(5, 6))
    for layer in (kk.layers.ReLU(), kk.layers.LeakyReLU(), kk.layers.PReLU(shared_axes=[1]),
                  kk.layers.ELU(), kk.layers.Softmax()):
        assert layer(x).shape == (None, 5, 6)


def test_prelu_config_matches_keras_keys():
    assert set(kk.layers.PReLU().get_config()) == set(keras.layers.PReLU().get_config())


@pytest.mark.parametrize("kwargs, arg", [
    ({"max_value": -1.0}, "max_value"),
    ({"negative_slope": -0.1}, "negative_slope"),
    ({"negative_slope": None}, "negative_slope"),
    ({"threshold": -1.0}, "threshold"),
])
def test_relu_rejects_negative_arguments(kwargs, arg):
    with pytest.raises(ValueError, match=rf"ReLU 're_lu': `{arg}` cannot be negative or None\. "
                                         rf"Expected a non-negative float\. Received: {arg}="):
        kk.layers.ReLU(**kwargs)


def test_leaky_relu_rejects_negative_slope():
    with pytest.raises(ValueError, match=r"LeakyReLU 'leaky_re_lu': `negative_slope` cannot be "
                                         r"negative or None\. .*Received: negative_slope=-1"):
        kk.layers.LeakyReLU(-1)


def test_prelu_errors():
    with pytest.raises(ValueError, match=r"PReLU 'p_re_lu': `shared_axes` must hold positive "
                                         r"axis indices.*Received: shared_axes=\[0\]"):
        kk.layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match=r"PReLU 'p_re_lu_1': `shared_axes` names an axis the "
                                         r"input does not have\. Expected axes below 3"):
        kk.layers.PReLU(shared_axes=[3])(X)
    with pytest.raises(ValueError, match=r"PReLU 'p_re_lu_2': every non-shared axis must be "
                                         r"known.*input_shape=\(None, None, 6\)"):
        kk.layers.PReLU()(kk.Input(shape=(None, 6)))
    layer = kk.layers.PReLU(name="pr")
    layer(X)
    with pytest.raises(ValueError, match=r"PReLU 'pr' expected inputs whose"):
        layer(X[:, :, :4])


def test_softmax_rejects_mask_that_does_not_broadcast():
    with pytest.raises(ValueError, match=r"Softmax 'softmax': the mask does not broadcast to the "
                                         r"inputs\. Expected a mask of at most rank 3.*Received: "
                                         r"mask=bool\[4, 5, 5\], inputs=float32\[4, 5, 6\]"):
        kk.layers.Softmax()(X, mask=np.ones((4, 5, 5), bool))
