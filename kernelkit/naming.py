"""Unique auto-generated object names (`dense`, `dense_1`, ...), as Keras makes them."""

from __future__ import annotations

import re
import threading

__all__ = ["reset_names", "to_snake_case", "unique_name"]

_lock = threading.Lock()
_counts: dict[str, int] = {}


def to_snake_case(name: str) -> str:
    """Converts a class name to the Keras default layer name.

    Example:
        >>> to_snake_case("BatchNormalization")
        'batch_normalization'
        >>> to_snake_case("Conv2D")
        'conv2d'
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    return name.lstrip("_") or "layer"


def unique_name(prefix: str) -> str:
    """Returns `prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    with _lock:
        n = _counts.get(prefix, 0)
        _counts[prefix] = n + 1
    return prefix if n == 0 else f"{prefix}_{n}"


def reset_names() -> None:
    """Forgets every name handed out, so numbering starts again (Keras `clear_session`).

    Example:
        >>> unique_name("dense"), unique_name("dense")
        ('dense', 'dense_1')
        >>> reset_names()
        >>> unique_name("dense")
        'dense'
    """
    with _lock:
        _counts.clear()
