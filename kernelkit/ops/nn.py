"""neural-network ops (`keras.ops.nn`): activations, convolutions, pooling, normalization, losses."""

from __future__ import annotations

__all__: list[str] = []
