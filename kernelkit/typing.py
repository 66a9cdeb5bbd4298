"""Type aliases shared across kernelkit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["ArrayLike", "Shape"]

Shape = tuple[int | None, ...]
ArrayLike = Any
ShapeLike = Sequence[int | None]
