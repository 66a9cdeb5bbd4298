"""image ops (`keras.ops.image`): resize, affine and perspective transforms, colour spaces, patches."""

from __future__ import annotations

__all__: list[str] = []
