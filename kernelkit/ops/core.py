"""core ops: control flow, scatter/slice updates, conversion, shape and dtype queries."""

from __future__ import annotations

__all__: list[str] = []
