"""Fourier ops of `keras.ops`: fft, fft2, ifft2, rfft, irfft, stft, istft on (real, imag) pairs.

As in Keras, complex values travel as a tuple `(real, imag)` of two float tensors.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.ops.dispatch import keras_op

__all__ = ["fft", "fft2", "ifft2", "irfft", "istft", "rfft", "stft"]


def to_complex(op: str, x):
    """The complex tensor of a `(real, imag)` pair of float tensors of one shape."""
    if not isinstance(x, list | tuple) or len(x) != 2:
        raise ValueError(
            f"{op}: x is not a (real, imag) pair. Expected a tuple of two float tensors. "
            f"Received: x of type {type(x).__name__}. Pass (real, imag).")
    real, imag = jnp.asarray(x[0]), jnp.asarray(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"{op}: the real and imaginary parts have different shapes. Expected equal shapes. "
            f"Received: real.shape={real.shape}, imag.shape={imag.shape}. Pass parts of one shape.")
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(
            f"{op}: the parts are not floating. Expected float tensors. Received: "
            f"real.dtype={real.dtype}, imag.dtype={imag.dtype}. Cast them to float32.")
    return jax.lax.complex(real, imag)


def split(z):
    """`(real, imag)` of a complex tensor."""
    return jnp.real(z), jnp.imag(z)


@keras_op
def fft(x):
    """Fast Fourier transform along the last axis.

    Args:
        x: A tuple `(real, imag)` of float tensors.

    Returns:
        A tuple `(real, imag)` of the transform.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> real, imag = ops.fft((np.ones(4, "float32"), np.zeros(4, "float32")))
        >>> real.tolist()
        [4.0, 0.0, 0.0, 0.0]
    """
    return split(jnp.fft.fft(to_complex("fft", x)))


@keras_op
def fft2(x):
    """2-D fast Fourier transform over the last two axes.

    Args:
        x: A tuple `(real, imag)` of float tensors.

    Returns:
        A tuple `(real, imag)` of the transform.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> real, imag = ops.fft2((np.ones((2, 2), "float32"), np.zeros((2, 2), "float32")))
        >>> real.tolist()
        [[4.0, 0.0], [0.0, 0.0]]
    """
    return split(jnp.fft.fft2(to_complex("fft2", x)))


@keras_op
def ifft2(x):
    """Inverse 2-D fast Fourier transform over the last two axes.

    Args:
        x: A tuple `(real, imag)` of float tensors.

    Returns:
        A tuple `(real, imag)` of the inverse transform.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> real, imag = ops.ifft2((np.full((2, 2), 4.0, "float32"), np.zeros((2, 2), "float32")))
        >>> real.tolist()
        [[4.0, 0.0], [0.0, 0.0]]
    """
    return split(jnp.fft.ifft2(to_complex("ifft2", x)))


@keras_op
def rfft(x, fft_length=None):
    """Real-input fast Fourier transform along the last axis (the non-negative frequencies).

    Args:
        x: Real tensor.
        fft_length: The transform length (the input is cropped or zero-padded); default the
            last axis's size.

    Returns:
        A tuple `(real, imag)`, last axis `fft_length // 2 + 1`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> real, imag = ops.rfft(np.ones(4, "float32"))
        >>> real.tolist()
        [4.0, 0.0, 0.0]
    """
    return split(jnp.fft.rfft(jnp.asarray(x), n=fft_length, axis=-1))


@keras_op
def irfft(x, fft_length=None):
    """Inverse of `rfft`: a real signal from its non-negative frequencies.

    Args:
        x: A tuple `(real, imag)` of float tensors.
        fft_length: The output length; default `2 * (x.shape[-1] - 1)`.

    Returns:
        A real tensor, last axis `fft_length`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.irfft((np.array([4.0, 0.0, 0.0], "float32"), np.zeros(3, "float32"))).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    return jnp.fft.irfft(to_complex("irfft", x), n=fft_length, axis=-1)


def window_of(op: str, window, sequence_length: int, fft_length: int, dtype):
    """The (periodic Hann/Hamming or given) window, zero-padded to `fft_length` in the middle.

    No window is a rectangle over the whole `fft_length` (as Keras, not `sequence_length`).
    """
    if window is None:
        return jnp.ones((fft_length,), dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f"{op}: unknown window. Expected 'hann', 'hamming', a tensor or None. Received: "
                f"window={window!r}. Pass one of those.")
        a = 0.5 if window == "hann" else 0.54
        win = a - (1 - a) * np.cos(2 * np.pi * np.arange(sequence_length) / sequence_length)
    else:
        win = window
    win = jnp.asarray(win, dtype)
    if win.shape != (sequence_length,):
        raise ValueError(
            f"{op}: the window has the wrong shape. Expected ({sequence_length},), the "
            f"sequence_length. Received: window.shape={win.shape}. Pass a 1-D window.")
    left = (fft_length - sequence_length) // 2
    return jnp.pad(win, (left, fft_length - sequence_length - left))


def check_stride(op: str, sequence_stride):
    """Refuses a stride that is not a positive int."""
    if not isinstance(sequence_stride, int) or sequence_stride <= 0:
        raise ValueError(
            f"{op}: invalid sequence_stride. Expected a positive int. Received: "
            f"sequence_stride={sequence_stride!r}. Pass e.g. sequence_stride=fft_length // 4.")


@keras_op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: Float32/float64 tensor `(..., length)`.
        sequence_length: The window length.
        sequence_stride: The step between frames.
        fft_length: The FFT size, at least `sequence_length`.
        window: `"hann"`, `"hamming"`, a 1-D tensor of `sequence_length`, or None.
        center: Whether to reflect-pad `fft_length // 2` on both sides, centring frames.

    Returns:
        A tuple `(real, imag)`, each `(..., num_frames, fft_length // 2 + 1)`.

    Raises:
        TypeError: For a non-float32/float64 input.
        ValueError: For a bad stride, window, or `fft_length < sequence_length`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> real, imag = ops.stft(np.ones(16, "float32"), 8, 4, 8)
        >>> real.shape
        (5, 5)
    """
    check_stride("stft", sequence_stride)
    x = jnp.asarray(x)
    if x.dtype not in (jnp.float32, jnp.float64):
        raise TypeError(
            "stft: x is not float32/float64. Expected a float32 or float64 signal. Received: "
            f"x.dtype={x.dtype}. Cast x to float32.")
    if fft_length < sequence_length:
        raise ValueError(
            "stft: fft_length is smaller than sequence_length. Expected fft_length >= "
            f"sequence_length. Received: sequence_length={sequence_length}, "
            f"fft_length={fft_length}. Raise fft_length.")
    win = window_of("stft", window, sequence_length, fft_length, x.dtype)
    if center:
        pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pad, mode="reflect")
    starts = np.arange(0, x.shape[-1] - fft_length + 1, sequence_stride)
    frames = x[..., starts[:, None] + np.arange(fft_length)[None, :]] * win
    return split(jnp.fft.rfft(frames, n=fft_length, axis=-1))


@keras_op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse short-time Fourier transform (windowed overlap-add).

    Args:
        x: A tuple `(real, imag)`, each `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length: The window length used by `stft`.
        sequence_stride: The step between frames.
        fft_length: The FFT size used by `stft`.
        length: The output length to crop to; default all samples (less the centring pad).
        window: `"hann"`, `"hamming"`, a 1-D tensor of `sequence_length`, or None.
        center: Whether `stft` centred the frames (the pad is then removed).

    Returns:
        A real tensor `(..., length)`.

    Raises:
        ValueError: For a bad stride or window, or an input of rank below 2.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> signal = np.sin(np.arange(32, dtype="float32"))
        >>> back = ops.istft(ops.stft(signal, 8, 2, 8), 8, 2, 8)
        >>> bool(np.allclose(back, signal[:back.shape[-1]], atol=1e-5))
        True
    """
    check_stride("istft", sequence_stride)
    z = to_complex("istft", x)
    if z.ndim < 2:
        raise ValueError(
            "istft: x has rank below 2. Expected (..., num_frames, fft_length // 2 + 1) parts. "
            f"Received: x[0].shape={z.shape}. Add the frame axis.")
    dtype = jnp.real(z).dtype
    win = window_of("istft", window, sequence_length, fft_length, dtype)
    frames = jnp.fft.irfft(z, n=fft_length, axis=-1)[..., :fft_length] * win
    count = z.shape[-2]
    total = fft_length + sequence_stride * (count - 1)
    index = (np.arange(count)[:, None] * sequence_stride + np.arange(fft_length)[None, :]).ravel()
    lead = frames.shape[:-2]
    signal = jnp.zeros((*lead, total), dtype).at[..., index].add(frames.reshape(*lead, -1))
    norm = jnp.zeros((total,), dtype).at[index].add(jnp.tile(win * win, count))
    signal = signal / jnp.where(norm > 1e-10, norm, 1.0) * jnp.sum(win)
    signal = signal / (jnp.sum(win) if window is not None else sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        return signal[..., start:start + length]
    return signal[..., start:total - fft_length // 2] if center else signal
