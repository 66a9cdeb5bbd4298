"""Audio feature layers: STFT and mel spectrograms."""

from kernelkit.layers.audio.mel_spectrogram import MelSpectrogram
from kernelkit.layers.audio.stft_spectrogram import STFTSpectrogram

__all__ = ["MelSpectrogram", "STFTSpectrogram"]
