"""MelSpectrogram and STFTSpectrogram against Keras 3: values, shapes, weights, configs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads

RNG = np.random.default_rng(0)
SIGNAL = RNG.normal(size=(2, 400)).astype("float32")
CHANNELS = RNG.normal(size=(2, 96, 2)).astype("float32")

MEL_CASES = [
    {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 8},
    {"fft_length": 128, "sequence_length": 100, "sequence_stride": 32, "window": "hamming",
     "num_mel_bins": 16, "power_to_db": False, "mag_exp": 1.0},
    {"fft_length": 64, "sequence_stride": 20, "window": None, "num_mel_bins": 12,
     "ref_power": 2.0, "top_db": 20.0, "sampling_rate": 8000, "min_freq": 100.0},
]


@pytest.mark.parametrize("kwargs", MEL_CASES)
def test_mel_spectrogram_matches_keras(kwargs):
    assert_matches_keras(kk.layers.MelSpectrogram(**kwargs),
                         keras.layers.MelSpectrogram(**kwargs), SIGNAL, atol=1e-4, rtol=1e-4)


def test_mel_spectrogram_config_shape_and_keras_file(tmp_path):
    layer = kk.layers.MelSpectrogram(**MEL_CASES[0])
    k_layer = keras.layers.MelSpectrogram(**MEL_CASES[0])
    assert set(layer.get_config()) == set(k_layer.get_config())
    assert_config_round_trip(layer, SIGNAL)
    assert layer(kk.Input((400,))).shape == tuple(k_layer.compute_output_shape((None, 400)))
    assert_keras_file_loads(keras.layers.MelSpectrogram(**MEL_CASES[0]), SIGNAL, tmp_path,
                            atol=1e-4)


STFT_CASES = [
    {"frame_length": 16, "frame_step": 8},
    {"mode": "magnitude", "frame_length": 20, "fft_length": 32, "padding": "same"},
    {"mode": "psd", "frame_length": 16, "scaling": "spectrum", "periodic": True},
    {"mode": "real", "frame_length": 16, "expand_dims": True},
    {"mode": "imag", "frame_length": 16, "window": "hamming"},
    {"mode": "angle", "frame_length": 16, "window": None, "scaling": None},
    {"mode": "stft", "frame_length": 16, "data_format": "channels_first"},
    {"mode": "log", "frame_length": 16, "data_format": "channels_first", "expand_dims": True},
]


@pytest.mark.parametrize("kwargs", STFT_CASES)
def test_stft_spectrogram_matches_keras(kwargs):
    x = CHANNELS if kwargs.get("data_format") != "channels_first" else np.swapaxes(CHANNELS,
                                                                                  1, 2)
    assert_matches_keras(kk.layers.STFTSpectrogram(**kwargs),
                         keras.layers.STFTSpectrogram(**kwargs), x, atol=1e-4, rtol=1e-4)


def test_stft_spectrogram_weights_config_shapes_and_keras_file(tmp_path):
    layer = kk.layers.STFTSpectrogram(frame_length=16, frame_step=4)
    k_layer = keras.layers.STFTSpectrogram(frame_length=16, frame_step=4)
    layer(CHANNELS)
    k_layer(CHANNELS)
    assert [w.name for w in layer.weights] == [w.name for w in k_layer.weights]
    np.testing.assert_allclose(layer.get_weights()[0], k_layer.get_weights()[0], atol=1e-6)
    assert set(layer.get_config()) == set(k_layer.get_config())
    assert_config_round_trip(layer, CHANNELS)
    assert layer(kk.Input((96, 2))).shape == k_layer.compute_output_shape((None, 96, 2))
    assert_keras_file_loads(keras.layers.STFTSpectrogram(frame_length=16), CHANNELS, tmp_path,
                            atol=1e-4)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"mode": "phase"}, "mode"), ({"frame_length": 8, "frame_step": 9}, "frame_step"),
    ({"frame_length": 16, "fft_length": 8}, "fft_length"), ({"padding": "full"}, "padding"),
])
def test_stft_spectrogram_bad_arguments_name_the_layer(kwargs, match):
    with pytest.raises(ValueError, match=f"STFTSpectrogram .*{match}"):
        kk.layers.STFTSpectrogram(**kwargs)


def test_audio_layers_refuse_wrong_inputs():
    with pytest.raises(ValueError, match="STFTSpectrogram"):
        kk.layers.STFTSpectrogram(frame_length=16)(SIGNAL)
    with pytest.raises(ValueError, match="MelSpectrogram .*window"):
        kk.layers.MelSpectrogram(window="blackman")
