"""math ops Keras keeps at `keras.ops`'s top level: fft, stft, segment reductions, top_k, logsumexp, erf."""

from __future__ import annotations

__all__: list[str] = []
