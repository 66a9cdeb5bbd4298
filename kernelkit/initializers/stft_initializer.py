"""`STFT`: Fourier-basis kernels for spectrogram convolutions."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit.initializers.initializer import Initializer, _float_dtype, _register

__all__ = ["STFT"]


@_register("stft", "STFTInitializer")
class STFT(Initializer):
    """Kernels of a short-time Fourier transform, for a `(frame_length, channels, fft_bins)`
    convolution kernel: the real (cosine) or imaginary (sine) DFT part, times a window.

    Args:
        side: `"real"` or `"imag"`.
        window: A SciPy window name (`"hann"`, `"hamming"`, ...), an array of length
            `frame_length`, or None.
        scaling: `"density"`, `"spectrum"` or None: divides by the window's L2 or L1 norm.
        periodic: Whether a named window is periodic (for spectral analysis).

    Example:
        >>> STFT(window=None)((4, 1, 3)).shape
        (4, 1, 3)
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(
                "STFT: unknown `side`. Expected 'real' or 'imag'. "
                f"Received: side={side!r}. Pick one of those."
            )
        if isinstance(window, str):
            _window(window, 1, periodic)  # fails early on an unknown name
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(
                "STFT: unknown `scaling`. Expected None, 'density' or 'spectrum'. "
                f"Received: scaling={scaling!r}. Pick one of those."
            )
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype("STFT", dtype)
        frame_length, _, fft_length = shape
        kernel_scale, win = 1.0, None
        if self.window is not None:
            win = self.window
            if isinstance(win, str):
                win = _window(win, frame_length, self.periodic)
            win = jnp.asarray(win, dtype=dtype)
            if win.ndim != 1 or win.shape[-1] != frame_length:
                raise ValueError(
                    "STFT: the window does not match the frame. Expected a window of shape "
                    f"({frame_length},). Received: window.shape={tuple(win.shape)}. Pass a "
                    "1-D window as long as the frame."
                )
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                kernel_scale = jnp.sqrt(jnp.sum(jnp.square(win)))
            elif self.scaling == "spectrum":
                kernel_scale = jnp.sum(jnp.abs(win))
        freq = jnp.arange(fft_length, dtype=dtype).reshape(1, 1, fft_length) / (
            (fft_length - 1) * 2)
        time = jnp.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        args = -2 * time * freq * jnp.arccos(jnp.asarray(-1, dtype))  # -2 pi t f
        kernel = (jnp.cos(args) if self.side == "real" else jnp.sin(args)).astype(dtype)
        if win is not None:
            kernel = kernel * win / kernel_scale
        return kernel

    def get_config(self):
        window = self.window
        if window is not None and not isinstance(window, str):
            window = np.asarray(window).tolist()
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}


def _window(name, length, periodic):
    from scipy import signal  # JAX depends on SciPy; imported only when a window is named

    try:
        return signal.get_window(name, length, fftbins=periodic)
    except ValueError as error:
        raise ValueError(
            f"STFT: unknown window. Expected a scipy.signal.get_window name such as 'hann'. "
            f"Received: window={name!r}. Pick a SciPy window or pass an array."
        ) from error
