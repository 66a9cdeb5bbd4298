"""`MelSpectrogram`: audio signals to (decibel) mel-scale spectrograms."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit.layers.audio.short_time_fourier import stft_frames
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["MelSpectrogram"]

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    return _MEL_HIGH_FREQUENCY_Q * np.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


def mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate, lower_edge_hertz,
                      upper_edge_hertz):
    """`(num_spectrogram_bins, num_mel_bins)` triangular HTK filters (peaks of 1, DC bin 0).

    Example:
        >>> mel_weight_matrix(4, 9, 8000, 100.0, 4000.0).shape
        (9, 4)
    """
    linear = np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz),
                        num_mel_bins + 2)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    weights = np.maximum(0.0, np.minimum((bins_mel - lower) / (center - lower),
                                         (upper - bins_mel) / (upper - center)))
    return np.pad(weights, [(1, 0), (0, 0)]).astype("float32")


@register_builtin("keras.layers")
class MelSpectrogram(Layer):
    """Mel spectrogram of audio: `|STFT|**mag_exp` on `num_mel_bins` mel filters, in decibels.

    The STFT uses centred frames (reflect padding) of `sequence_length` samples every
    `sequence_stride`, a periodic `window` and `fft_length` bins; the power in dB is clipped
    to `top_db` below the maximum of the batch, as in Keras.

    Args:
        fft_length: FFT size (number of samples per frame after zero padding).
        sequence_stride: Samples between successive frames.
        sequence_length: Samples per frame (default `fft_length`).
        window: `"hann"`, `"hamming"` or None (rectangular).
        sampling_rate: Samples per second of the signal.
        num_mel_bins: Number of mel bands.
        min_freq: Lowest frequency of the mel filters, in Hz.
        max_freq: Highest frequency of the mel filters (default `sampling_rate / 2`).
        power_to_db: Whether to convert the power to decibels.
        top_db: Dynamic range kept below the maximum, in dB.
        mag_exp: Exponent of the magnitude (2 for power).
        min_power: Floor of the power before the logarithm.
        ref_power: Reference power of 0 dB.

    Input shape:
        `(batch, samples)` or `(samples,)`.

    Output shape:
        `(batch, num_mel_bins, frames)`, `frames = samples // sequence_stride + 1`.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
        >>> layer(jnp.ones((2, 160))).shape
        (2, 8, 11)
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        super().__init__(**kwargs)
        self.fft_length, self.sequence_stride = fft_length, sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                f"MelSpectrogram '{self.name}': `fft_length` must be at least "
                f"`sequence_length`. Received: fft_length={fft_length}, "
                f"sequence_length={self.sequence_length}."
            )
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError(
                f"MelSpectrogram '{self.name}': unknown `window`. Expected 'hann', "
                f"'hamming' or None. Received: window={window!r}."
            )
        self.window, self.sampling_rate = window, sampling_rate
        self.num_mel_bins, self.min_freq = num_mel_bins, min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db, self.top_db, self.mag_exp = power_to_db, top_db, mag_exp
        self.min_power, self.ref_power = min_power, ref_power

    def call(self, inputs):
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") \
            else "float32"
        x = jnp.asarray(inputs).astype(dtype)
        real, imag = stft_frames(x, self.sequence_length, self.sequence_stride,
                                 self.fft_length, self.window)
        spec = jnp.power(jnp.sqrt(jnp.square(real) + jnp.square(imag)), self.mag_exp)
        matrix = mel_weight_matrix(self.num_mel_bins, spec.shape[-1], self.sampling_rate,
                                   self.min_freq, self.max_freq)
        mel = jnp.tensordot(spec, jnp.asarray(matrix, dtype), axes=1)  # (..., frames, mels)
        if self.power_to_db:
            log_spec = 10.0 * jnp.log10(jnp.maximum(mel, self.min_power))
            log_spec -= 10.0 * np.log10(max(abs(self.ref_power), self.min_power))
            mel = jnp.maximum(log_spec, jnp.max(log_spec) - self.top_db)
        return jnp.swapaxes(mel, -1, -2).astype(self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}
