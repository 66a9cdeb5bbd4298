"""linear algebra (`keras.ops.linalg`)."""

from __future__ import annotations

__all__: list[str] = []
