"""Validation of the spatial arguments shared by conv, pooling and reshaping layers.

Each function turns a user argument (`kernel_size=3`, `padding="SAME"`, `data_format=None`)
into its canonical form, or raises a `ValueError` that names the layer, as Keras does.
"""

from __future__ import annotations

from kernelkit import config

__all__ = ["owner_of", "to_data_format", "to_padding", "to_pairs", "to_tuple"]

_DATA_FORMATS = ("channels_last", "channels_first")


def owner_of(layer) -> str:
    """The prefix of a layer's error messages: `Conv2D 'conv2d'`."""
    return f"{type(layer).__name__} '{layer.name}'"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def to_tuple(owner: str, value, n: int, name: str, allow_zero: bool = False) -> tuple:
    """Returns `value` (an int or `n` ints) as a tuple of `n` ints.

    Args:
        owner: The layer's name for error messages (`owner_of(layer)`).
        value: An int, used for every dimension, or a sequence of `n` ints.
        n: The number of dimensions.
        name: The argument's name for error messages.
        allow_zero: Whether 0 is accepted (otherwise values must be positive).

    Example:
        >>> to_tuple("Conv2D 'conv2d'", 3, 2, "kernel_size")
        (3, 3)
    """
    kind = "non-negative" if allow_zero else "positive"
    if _is_int(value):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = None
        if values is None or len(values) != n or not all(_is_int(v) for v in values):
            raise ValueError(
                f"{owner}: `{name}` must be a {kind} integer or a tuple of {n} {kind} "
                f"integers. Received: {name}={value!r}."
            )
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in values):
        raise ValueError(
            f"{owner}: `{name}` must contain only {kind} integers. Received: {name}={value!r}."
        )
    return values


def to_data_format(owner: str, value) -> str:
    """Returns `"channels_last"` or `"channels_first"` (`None` means the global default).

    Example:
        >>> to_data_format("MaxPooling2D 'm'", None)
        'channels_last'
    """
    if value is None:
        return config.image_data_format()
    fmt = value.lower() if isinstance(value, str) else value
    if fmt not in _DATA_FORMATS:
        raise ValueError(
            f"{owner}: unknown `data_format`. Expected one of {_DATA_FORMATS}. "
            f"Received: data_format={value!r}."
        )
    return fmt


def to_padding(owner: str, value, allowed=("valid", "same")) -> str:
    """Returns the lower-cased padding mode, one of `allowed`.

    Example:
        >>> to_padding("Conv1D 'c'", "SAME")
        'same'
    """
    mode = value.lower() if isinstance(value, str) else value
    if mode not in allowed:
        raise ValueError(
            f"{owner}: unknown `padding`. Expected one of {tuple(allowed)}. "
            f"Received: padding={value!r}."
        )
    return mode


def to_pairs(owner: str, value, name: str) -> tuple:
    """Returns `((before, after), (before, after))` for the two spatial axes of an image.

    Accepts an int (the same on every side), 2 ints (symmetric per axis) or 2 pairs.

    Example:
        >>> to_pairs("ZeroPadding2D 'z'", (1, 2), "padding")
        ((1, 1), (2, 2))
    """
    if _is_int(value):
        return (to_tuple(owner, value, 2, name, allow_zero=True),) * 2
    try:
        parts = tuple(value)
    except TypeError:
        parts = ()
    if len(parts) != 2:
        raise ValueError(
            f"{owner}: `{name}` must be an int, a tuple of 2 ints (symmetric height, width) "
            f"or a tuple of 2 tuples of 2 ints ((top, bottom), (left, right)). "
            f"Received: {name}={value!r}."
        )
    return tuple(to_tuple(owner, part, 2, name, allow_zero=True) for part in parts)
