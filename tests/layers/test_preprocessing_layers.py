"""Preprocessing layers (Rescaling, Normalization): Keras differential tests, adapt() against
Keras's adapt(), configs, symbolic use and errors."""

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
X = RNG.normal(loc=3.0, scale=2.0, size=(12, 4, 3)).astype("float32")


# ---- Rescaling --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"scale": 1 / 255},
    {"scale": 2.0, "offset": -1.0},
    {"scale": [0.5, 1.0, 2.0], "offset": [0.0, 1.0, -1.0]},
])
def test_rescaling_matches_keras(kwargs):
    assert_matches_keras(kk.layers.Rescaling(**kwargs), keras.layers.Rescaling(**kwargs), X)


def test_rescaling_casts_integer_inputs_like_keras():
    x = np.arange(24, dtype="uint8").reshape(2, 4, 3)
    kk_out, _ = assert_matches_keras(kk.layers.Rescaling(1 / 255), keras.layers.Rescaling(1 / 255),
                                     x)
    assert kk_out[0].dtype == np.float32


def test_rescaling_config_round_trip_and_keras_keys():
    layer = kk.layers.Rescaling(np.array([0.5, 2.0, 1.0]), offset=1.0)
    clone = assert_config_round_trip(layer, X)
    assert clone.get_config()["scale"] == [0.5, 2.0, 1.0]
    assert set(layer.get_config()) == set(keras.layers.Rescaling(2.0).get_config())
    keras_numpy_config = keras.layers.Rescaling(np.array([1.0, 2.0, 3.0])).get_config()
    restored = kk.layers.Rescaling.from_config(
        {k: v for k, v in keras_numpy_config.items() if k != "dtype"})
    assert restored.scale == [1.0, 2.0, 3.0]


# ---- Normalization ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"mean": 2.0, "variance": 4.0},
    {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
    {"axis": (1, 2), "mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
    {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 0.0], "invert": True},
])
def test_normalization_with_given_statistics_matches_keras(kwargs):
    assert_matches_keras(kk.layers.Normalization(**kwargs), keras.layers.Normalization(**kwargs),
                         X)


@pytest.mark.parametrize("axis", [-1, (1, 2), None, 1])
@pytest.mark.parametrize("kind", ["numpy", "jax", "list", "generator"])
def test_normalization_adapt_matches_keras(axis, kind):
    batches = [X[:5], X[5:9], X[9:]]

    def data():
        if kind == "numpy":
            return X
        if kind == "jax":
            return jnp.asarray(X)
        if kind == "list":
            return list(batches)
        return ((b, np.zeros(len(b))) for b in batches)  # (x, y) tuples

    kk_layer, k_layer = kk.layers.Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    kk_layer.adapt(data())
    # Keras reads iterables only with TensorFlow installed; its streaming combination of batch
    # moments is exact, so the reference for batches is Keras's adapt of the whole array
    k_layer.adapt(data() if kind in ("numpy", "jax") else X)
    assert [w.name for w in kk_layer.weights] == [w.name for w in k_layer.weights]
    for a, b in zip(kk_layer.get_weights(), k_layer.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(kk_layer(X)), np.asarray(k_layer(X)), atol=1e-5)


@pytest.mark.parametrize("invert", [False, True])
def test_adapted_normalization_matches_keras(invert):
    k_layer = keras.layers.Normalization(invert=invert)
    k_layer.adapt(X)
    assert_matches_keras(kk.layers.Normalization(invert=invert), k_layer, X)


def test_normalization_config_round_trip():
    assert_config_round_trip(kk.layers.Normalization(axis=(1, 2)), X)
    layer = kk.layers.Normalization(mean=[1.0, 2.0, 3.0], variance=np.ones(3), invert=True)
    assert_config_round_trip(layer, X)
    assert set(layer.get_config()) == set(keras.layers.Normalization().get_config())
    assert layer.get_config()["variance"] == [1.0, 1.0, 1.0]


def test_preprocessing_layers_on_symbolic_inputs():
    x = kk.Input(shape=(4, 3))
    norm = kk.layers.Normalization()
    norm.adapt(X)
    model = kk.Model(x, kk.layers.Rescaling(2.0)(norm(x)))
    expected = 2.0 * (X - X.mean(axis=(0, 1))) / X.std(axis=(0, 1))
    np.testing.assert_allclose(np.asarray(model(X)), expected, atol=1e-4)


# ---- errors -----------------------------------------------------------------------------------

def test_normalization_constructor_errors():
    with pytest.raises(ValueError, match=r"Normalization 'normalization': only one of `mean` and "
                                         r"`variance` was given\. Expected both or neither\. "
                                         r"Received: mean=1.0, variance=None"):
        kk.layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match=r"Normalization 'normalization_1': `mean` and "
                                         r"`variance` have different shapes\. Expected equal "
                                         r"shapes\. Received: mean shape \(2,\), variance shape "
                                         r"\(3,\)"):
        kk.layers.Normalization(mean=[1.0, 2.0], variance=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"Normalization 'normalization_2': `mean` has more "
                                         r"dimensions than there are kept axes\. Expected rank "
                                         r"at most 1\. Received: mean shape \(1, 2\)"):
        kk.layers.Normalization(mean=[[1.0, 2.0]], variance=[[1.0, 2.0]])


def test_normalization_build_errors():
    with pytest.raises(ValueError, match=r"Normalization 'normalization': `axis` is out of range "
                                         r"for the input\. Expected axes in \[-3, 3\)\. "
                                         r"Received: axis=\(3,\)"):
        kk.layers.Normalization(axis=3)(X)
    with pytest.raises(ValueError, match=r"Normalization 'normalization_1': the kept axes must "
                                         r"have known sizes\. Expected a known size on axis 1"):
        kk.layers.Normalization(axis=1)(kk.Input(shape=(None, 3)))


def test_normalization_adapt_errors():
    with pytest.raises(ValueError, match=r"Normalization 'normalization': adapt\(\) received an "
                                         r"empty iterable\. Expected at least one batch"):
        kk.layers.Normalization().adapt([])
    with pytest.raises(TypeError, match=r"Normalization 'normalization_1': adapt\(\) expects an "
                                        r"iterable of arrays\. Expected batches with a `\.shape`\. "
                                        r"Received: a batch of type list"):
        kk.layers.Normalization().adapt([[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"Normalization 'normalization_2': adapt\(\) cannot read "
                                        r"this data\. Expected a NumPy or JAX array.*Received: "
                                        r"data of type float"):
        kk.layers.Normalization().adapt(3.0)
    layer = kk.layers.Normalization(name="norm")
    layer.adapt(X)
    with pytest.raises(ValueError, match=r"Normalization 'norm': adapt\(\) data does not match "
                                         r"the layer\. Expected data shaped like \(12, 4, 3\) on "
                                         r"axes \(2,\)\. Received: data shape \(12, 4, 5\)"):
        layer.adapt(np.ones((12, 4, 5), "float32"))
    with pytest.raises(ValueError, match=r"Normalization 'norm': adapt\(\) data does not match"):
        layer.adapt([X, np.ones((2, 4, 5), "float32")])
    fixed = kk.layers.Normalization(mean=0.0, variance=1.0, name="fixed")
    with pytest.raises(ValueError, match=r"Normalization 'fixed' was constructed with `mean` and "
                                         r"`variance`, so it has no statistics to adapt"):
        fixed.adapt(X)
