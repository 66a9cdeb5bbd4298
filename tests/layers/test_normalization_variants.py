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
