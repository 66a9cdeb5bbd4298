"""`STFTSpectrogram`: a short-time Fourier transform as a (trainable) strided convolution."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit import initializers
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format
from kernelkit.registry import register_builtin

__all__ = ["STFTSpectrogram"]

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
_EPSILON = 1e-7


@register_builtin("keras.layers")
class STFTSpectrogram(Layer):
    """Spectrogram of each channel of a signal, computed by convolving it with the STFT's
    cosine (`real_kernel`) and sine (`imag_kernel`) bases, which start as the windowed
    Fourier bases and may train.

    Args:
        mode: `"log"` (log magnitude), `"magnitude"`, `"psd"` (power spectral density),
            `"real"`, `"imag"`, `"angle"` or `"stft"` (real and imaginary parts
            concatenated on the frequency axis).
        frame_length: Samples per frame (the window length).
        frame_step: Samples between frames (default `frame_length // 2`).
        fft_length: FFT size (default the next power of two of `frame_length`).
        window: Window name (`"hann"`, `"hamming"`, ...), an array, or None.
        periodic: Whether the window is periodic (else symmetric).
        scaling: `"density"`, `"spectrum"` or None, the window normalization.
        padding: `"valid"` or `"same"`.
        expand_dims: Whether to keep channels and frequencies on separate axes.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, samples, channels)`, or `(batch, channels, samples)` channels first.

    Output shape:
        `(batch, frames, channels * freqs)` (or `(batch, frames, freqs, channels)` with
        `expand_dims`); channels first: `(batch, channels * freqs, frames)`.

    Example:
        >>> import jax.numpy as jnp
        >>> STFTSpectrogram(frame_length=16, frame_step=8)(jnp.ones((2, 64, 1))).shape
        (2, 7, 9)
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        if frame_step is not None and not 1 <= frame_step <= frame_length:
            raise ValueError(f"{who}: `frame_step` must be in [1, frame_length]. Received: "
                             f"frame_step={frame_step}, frame_length={frame_length}.")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(f"{who}: `fft_length` must be at least `frame_length`. "
                             f"Received: fft_length={fft_length}, "
                             f"frame_length={frame_length}.")
        for arg, value, allowed in (("mode", mode, _MODES),
                                    ("scaling", scaling, ("density", "spectrum", None)),
                                    ("padding", padding, ("valid", "same"))):
            if value not in allowed:
                raise ValueError(f"{who}: unknown `{arg}`. Expected one of {allowed}. "
                                 f"Received: {arg}={value!r}.")
        self.mode, self.frame_length, self.frame_step = mode, frame_length, frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window, self.periodic, self.scaling = window, periodic, scaling
        self.padding, self.expand_dims = padding, expand_dims
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        self.real_kernel = self.imag_kernel = None
        for side in ("real", "imag"):
            if self.mode != ("imag" if side == "real" else "real"):
                setattr(self, f"{side}_kernel", self.add_weight(
                    name=f"{side}_kernel", shape=shape,
                    initializer=initializers.STFT(side, self.window, self.scaling,
                                                  self.periodic)))

    def _conv(self, inputs, kernel):
        """`(batch, channels, freqs, frames)`: every channel convolved with `kernel`."""
        if self.data_format == "channels_last":
            inputs = jnp.swapaxes(inputs, 1, 2)
        batch, channels, samples = inputs.shape
        x = inputs.reshape(batch * channels, samples, 1)
        out = jax.lax.conv_general_dilated(
            x, kernel.astype(x.dtype), (self._frame_step,), self.padding.upper(),
            dimension_numbers=("NWC", "WIO", "NWC"))  # (batch * channels, frames, freqs)
        return jnp.swapaxes(out, 1, 2).reshape(batch, channels, out.shape[2], out.shape[1])

    def _arrange(self, outputs):
        batch, channels, freqs, frames = outputs.shape
        if self.expand_dims:
            axes = (0, 3, 2, 1) if self.data_format == "channels_last" else (0, 1, 3, 2)
            return jnp.transpose(outputs, axes)
        outputs = outputs.reshape(batch, channels * freqs, frames)
        return jnp.swapaxes(outputs, 1, 2) if self.data_format == "channels_last" else outputs

    def call(self, inputs):
        if not jnp.issubdtype(inputs.dtype, jnp.floating):
            raise TypeError(f"{owner_of(self)}: the inputs must be float16, float32 or "
                            f"float64. Received: dtype={inputs.dtype}.")
        real = None if self.real_kernel is None else self._conv(inputs, self.real_kernel[...])
        imag = None if self.imag_kernel is None else self._conv(inputs, self.imag_kernel[...])
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(jnp.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(jnp.concatenate([real, imag], axis=2))
        power = jnp.square(real) + jnp.square(imag)
        if self.mode == "psd":  # one-sided density: the inner bins count twice
            return self._arrange(power + jnp.pad(power[:, :, 1:-1, :],
                                                 [(0, 0), (0, 0), (1, 1), (0, 0)]))
        magnitude = self._arrange(jnp.sqrt(jnp.maximum(power, _EPSILON)))
        if self.mode == "magnitude":
            return magnitude
        return jnp.log(jnp.maximum(magnitude, _EPSILON))

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length,
                "window": self.window, "periodic": self.periodic, "scaling": self.scaling,
                "padding": self.padding, "data_format": self.data_format,
                "expand_dims": self.expand_dims}
