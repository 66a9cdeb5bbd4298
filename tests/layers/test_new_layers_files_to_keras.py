"""`.keras` files written by kernelkit with the layers of issue 11 load in Keras 3, equal."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
FAST = {"kernel_initializer": "random_normal", "recurrent_initializer": "random_normal"}

CASES = {
    "Cropping3D": (lambda L: L.Cropping3D(((1, 0), (0, 1), 1)), (2, 4, 4, 4, 2)),
    "ZeroPadding3D": (lambda L: L.ZeroPadding3D(1), (2, 2, 2, 2, 1)),
    "UpSampling3D": (lambda L: L.UpSampling3D((1, 2, 1)), (2, 2, 2, 2, 1)),
    "SpatialDropout3D": (lambda L: L.SpatialDropout3D(0.3), (2, 2, 2, 2, 3)),
    "AlphaDropout": (lambda L: L.AlphaDropout(0.3), (2, 5)),
    "AdaptiveAveragePooling2D": (lambda L: L.AdaptiveAveragePooling2D((2, 3)), (2, 5, 7, 2)),
    "AdaptiveMaxPooling1D": (lambda L: L.AdaptiveMaxPooling1D(3), (2, 8, 2)),
    "ConvLSTM2D": (lambda L: L.ConvLSTM2D(2, 3, padding="same", **FAST), (2, 3, 4, 4, 1)),
    "RMSNormalization": (lambda L: L.RMSNormalization(), (2, 6)),
    "ReversibleEmbedding": (lambda L: L.ReversibleEmbedding(8, 3, tie_weights=False), (2, 4)),
    "STFTSpectrogram": (lambda L: L.STFTSpectrogram(frame_length=8), (2, 32, 1)),
    "StackedRNNCells": (lambda L: L.RNN(L.StackedRNNCells(
        [L.SimpleRNNCell(3, **FAST), L.LSTMCell(2, **FAST)])), (2, 4, 3)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_kernelkit_file_loads_in_keras(name, tmp_path):
    make, shape = CASES[name]
    if name == "ReversibleEmbedding":
        x = RNG.integers(0, 8, size=shape).astype("int32")
        inputs = kk.Input(shape[1:], dtype="int32")
    else:
        x = RNG.normal(size=shape).astype("float32")
        inputs = kk.Input(shape[1:])
    model = kk.Sequential([inputs, make(kk.layers)])
    model.save(tmp_path / "kk.keras")
    k_model = keras.saving.load_model(tmp_path / "kk.keras")
    np.testing.assert_allclose(k_model.predict(x, verbose=0), model.predict(x, verbose=0),
                               atol=1e-5, rtol=1e-5)
