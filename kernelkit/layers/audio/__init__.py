"""Audio feature layers: STFT and mel spectrograms."""

__all__: list[str] = []
