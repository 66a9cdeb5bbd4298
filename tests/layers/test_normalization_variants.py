"""RMSNormalization (and SpectralNormalization) against Keras 3: values, weights, configs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


X = _normal(2, 3, 4)


@pytest.mark.parametrize("kwargs", [{}, {"axis": -1, "epsilon": 1e-3}, {"axis": [1, 2]},
                                    {"axis": (2, 1)}])
def test_rms_normalization_matches_keras(kwargs):
    kk_layer = kk.layers.RMSNormalization(**kwargs)
    k_layer = keras.layers.RMSNormalization(**kwargs)
    k_layer.build(X.shape)
    k_layer.set_weights([_normal(*w.shape, seed=5) for w in k_layer.get_weights()])
    assert_matches_keras(kk_layer, k_layer, X)
    assert kk_layer.get_config()["axis"] == k_layer.get_config()["axis"]


def test_rms_normalization_keeps_half_precision_inputs_in_their_dtype():
    layer = kk.layers.RMSNormalization(dtype="float16")
    out = layer(X.astype("float16"))
    assert out.dtype == np.float16
    expected = keras.layers.RMSNormalization(dtype="float16")(X.astype("float16"))
    np.testing.assert_allclose(np.asarray(out, "float32"), np.asarray(expected, "float32"),
                               atol=1e-3)


def test_rms_normalization_config_and_keras_file(tmp_path):
    layer = kk.layers.RMSNormalization(axis=-1, epsilon=1e-4)
    assert_config_round_trip(layer, X)
    k_config = keras.layers.RMSNormalization(epsilon=1e-4).get_config()
    assert set(layer.get_config()) == set(k_config)
    assert_keras_file_loads(keras.layers.RMSNormalization(epsilon=1e-4), X, tmp_path)


def test_rms_normalization_out_of_range_axis_names_the_layer():
    with pytest.raises(ValueError, match="RMSNormalization 'rms.*axis 3"):
        kk.layers.RMSNormalization(axis=3)(X)
    with pytest.raises(TypeError, match="RMSNormalization"):
        kk.layers.RMSNormalization(axis="last")


# ---- SpectralNormalization and Wrapper --------------------------------------------------------

def _spectral_pair(kk_inner, k_inner, x, **kwargs):
    kk_layer = kk.layers.SpectralNormalization(kk_inner, **kwargs)
    k_layer = keras.layers.SpectralNormalization(k_inner, **kwargs)
    k_layer.build(x.shape)
    k_layer.set_weights([_normal(*w.shape, seed=i + 1) for i, w in
                         enumerate(k_layer.get_weights())])
    return kk_layer, k_layer


SPECTRAL_CASES = [
    (lambda lib: lib.layers.Dense(3), _normal(4, 5), {}),
    (lambda lib: lib.layers.Dense(3, use_bias=False), _normal(4, 5), {"power_iterations": 3}),
    (lambda lib: lib.layers.Conv2D(2, 3), _normal(2, 5, 5, 3), {}),
]


@pytest.mark.parametrize(("make", "x", "kwargs"), SPECTRAL_CASES)
def test_spectral_normalization_matches_keras(make, x, kwargs):
    kk_layer, k_layer = _spectral_pair(make(kk), make(keras), x, **kwargs)
    assert_matches_keras(kk_layer, k_layer, x)  # inference: the kernel as it is
    # a training call refines vector_u and normalizes the kernel, in place, as Keras does
    for _ in range(2):
        np.testing.assert_allclose(np.asarray(kk_layer(x, training=True)),
                                   np.asarray(k_layer(x, training=True)), atol=1e-5)
    for a, b in zip(kk_layer.get_weights(), k_layer.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_spectral_normalization_weights_config_and_keras_file(tmp_path):
    x = _normal(4, 5)
    kk_layer, k_layer = _spectral_pair(kk.layers.Dense(3), keras.layers.Dense(3), x,
                                       power_iterations=2)
    kk_layer(x)
    assert [w.name for w in kk_layer.weights] == [w.name for w in k_layer.weights]
    assert [w.name for w in kk_layer.non_trainable_weights] == ["vector_u"]
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    assert kk_layer.get_config()["layer"]["class_name"] == "Dense"
    assert_config_round_trip(kk_layer, x)
    loaded = assert_keras_file_loads(k_layer, x, tmp_path)
    assert type(loaded.layers[0].layer).__name__ == "Dense"


def test_spectral_normalization_bounds_the_spectral_norm_after_training_calls():
    layer = kk.layers.SpectralNormalization(kk.layers.Dense(4), power_iterations=5)
    x = _normal(3, 6)
    for _ in range(10):
        layer(x, training=True)
    sigma = np.linalg.svd(np.asarray(layer.layer.kernel[...]), compute_uv=False)[0]
    assert abs(sigma - 1.0) < 1e-3


def test_model_with_spectral_normalization_trains():
    model = kk.Sequential([kk.Input((5,)),
                           kk.layers.SpectralNormalization(kk.layers.Dense(8)),
                           kk.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x, y = _normal(16, 5), _normal(16, 1, seed=2)
    history = model.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_spectral_normalization_needs_a_kernel_and_positive_iterations():
    with pytest.raises(ValueError, match="SpectralNormalization .*no `kernel`"):
        kk.layers.SpectralNormalization(kk.layers.Flatten())(X)
    with pytest.raises(ValueError, match="power_iterations"):
        kk.layers.SpectralNormalization(kk.layers.Dense(2), power_iterations=0)


def test_wrapper_refuses_a_non_layer_and_round_trips_its_config():
    with pytest.raises(ValueError, match="Wrapper: `layer` must be a kernelkit layer"):
        kk.layers.Wrapper(lambda x: x)
    wrapper = kk.layers.Wrapper(kk.layers.Dense(2, name="inner"))
    out = wrapper(X)
    assert out.shape == (2, 3, 2)
    clone = kk.layers.Wrapper.from_config(wrapper.get_config())
    assert clone.layer.name == "inner" and clone.layer.units == 2
    k_config = keras.layers.Wrapper(keras.layers.Dense(2)).get_config()
    assert set(wrapper.get_config()) == set(k_config)


def test_kernelkit_file_with_spectral_normalization_loads_in_keras(tmp_path):
    x = _normal(4, 5)
    model = kk.Sequential([kk.Input((5,)), kk.layers.SpectralNormalization(kk.layers.Dense(3))])
    model(x, training=True)  # moves vector_u and the kernel away from their initial values
    model.save(tmp_path / "kk.keras")
    k_model = keras.saving.load_model(tmp_path / "kk.keras")
    np.testing.assert_allclose(k_model.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-5)
    for a, b in zip(model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
