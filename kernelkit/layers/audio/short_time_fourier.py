"""`stft_frames`: the short-time Fourier transform of the last axis (Keras's `ops.stft` rule)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

__all__ = ["periodic_window", "stft_frames"]

_WINDOWS = ("hann", "hamming")


def periodic_window(name: str, length: int) -> np.ndarray:
    """The periodic (FFT) `"hann"` or `"hamming"` window of `length` samples.

    Example:
        >>> periodic_window("hann", 4).round(6).tolist()
        [0.0, 0.5, 1.0, 0.5]
    """
    n = np.arange(length)
    a0 = 0.5 if name == "hann" else 0.54
    return a0 - (1.0 - a0) * np.cos(2.0 * np.pi * n / length)


def stft_frames(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """`(real, imag)`, each `(..., frames, fft_length // 2 + 1)`, of the STFT of `x`.

    Frames of `sequence_length` samples every `sequence_stride`, multiplied by the window
    (centred in `fft_length`), are Fourier-transformed; with `center` the signal is first
    reflect-padded by `fft_length // 2` on both sides.

    Example:
        >>> import jax.numpy as jnp
        >>> real, imag = stft_frames(jnp.ones((1, 32)), 8, 4, 8)
        >>> real.shape
        (1, 9, 5)
    """
    if center:
        pads = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pads, mode="reflect")
    left = (fft_length - sequence_length) // 2
    if window is None:
        win = np.ones(sequence_length)
    elif isinstance(window, str):
        win = periodic_window(window, sequence_length)
    else:
        win = np.asarray(window)
    win = np.pad(win, (left, fft_length - sequence_length - left))
    count = (x.shape[-1] - fft_length) // sequence_stride + 1
    index = (np.arange(count)[:, None] * sequence_stride + np.arange(fft_length)[None, :])
    frames = x[..., index] * jnp.asarray(win, x.dtype)  # (..., frames, fft_length)
    spectrum = jnp.fft.rfft(frames, n=fft_length, axis=-1)
    return jnp.real(spectrum).astype(x.dtype), jnp.imag(spectrum).astype(x.dtype)
