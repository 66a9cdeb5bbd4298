"""`check_axes`: the shared validation of normalization axes against an input shape."""

from __future__ import annotations

__all__ = ["check_axes"]


def check_axes(who: str, axes, input_shape, known: bool = True) -> list[int]:
    """Returns `axes` (an int or a list) as a list, or raises `ValueError` naming `who`.

    Example:
        >>> check_axes("LayerNormalization 'ln'", -1, (None, 3))
        [-1]
    """
    rank = len(input_shape)
    axes = list(axes) if isinstance(axes, list | tuple) else [axes]
    bad = [a for a in axes if not -rank <= a < rank or (known and input_shape[a] is None)]
    if bad:
        shown = axes if len(axes) > 1 else axes[0]
        raise ValueError(
            f"{who}: axis {bad[0]} is out of bounds{' or unknown' if known else ''} for the "
            f"input. Expected axes in [{-rank}, {rank}){' with known sizes' if known else ''}. "
            f"Received: axis={shown}, input_shape={tuple(input_shape)}."
        )
    return axes
