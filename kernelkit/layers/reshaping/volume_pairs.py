"""`to_volume_pairs`: the `(before, after)` pairs of the three spatial axes of a volume."""

from __future__ import annotations

from kernelkit.layers.spatial_arguments import to_tuple

__all__ = ["to_volume_pairs"]

_ORDINALS = ("1st", "2nd", "3rd")


def to_volume_pairs(owner: str, value, name: str) -> tuple:
    """Returns `((b, a), (b, a), (b, a))` for the depth, height and width axes.

    Accepts an int (the same on every side), 3 ints (symmetric per axis) or 3 pairs, as
    Keras's `Cropping3D` and `ZeroPadding3D` do.

    Args:
        owner: The layer's name for error messages.
        value: The user's argument.
        name: The argument's name (`"cropping"`, `"padding"`).

    Returns:
        A tuple of 3 pairs of non-negative ints.

    Raises:
        ValueError: If `value` has another structure or negative entries.

    Example:
        >>> to_volume_pairs("ZeroPadding3D 'z'", (1, 2, 3), "padding")
        ((1, 1), (2, 2), (3, 3))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return (to_tuple(owner, value, 2, name, allow_zero=True),) * 3
    try:
        parts = tuple(value)
    except TypeError:
        parts = ()
    if len(parts) != 3:
        raise ValueError(
            f"{owner}: `{name}` must be an int, a tuple of 3 ints (symmetric depth, height, "
            f"width) or a tuple of 3 tuples of 2 ints ((front, back), (top, bottom), "
            f"(left, right)). Received: {name}={value!r}."
        )
    return tuple(to_tuple(owner, part, 2, f"{ordinal} entry of {name}", allow_zero=True)
                 for ordinal, part in zip(_ORDINALS, parts))
