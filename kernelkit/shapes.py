"""Shape checks shared by layers: what counts as a shape, shape arguments, and an input's rank."""

from __future__ import annotations

__all__ = ["check_rank", "is_shape", "to_dims"]


def _is_dim(d) -> bool:
    return isinstance(d, int) and not isinstance(d, bool)


def is_shape(value) -> bool:
    """Whether `value` is one shape: a tuple or list of ints and `None`s (not of shapes).

    Used as `is_leaf` when mapping over nested structures of shapes.

    Args:
        value: Anything.

    Returns:
        True for `(None, 3)`, `[2, 4]` or `()`; False for `[(None, 3)]`, `"ab"` or `(True,)`.

    Example:
        >>> is_shape((None, 3)), is_shape([(None, 3), (None, 4)])
        (True, False)
    """
    return isinstance(value, tuple | list) and all(d is None or _is_dim(d) for d in value)


def to_dims(value, minimum: int = 1, allow_none: bool = True) -> tuple | None:
    """Reads a shape argument (`noise_shape`, `output_shape`, `target_shape`) as a tuple.

    Args:
        value: The argument as the user gave it; an int counts as one dimension.
        minimum: The smallest dimension allowed (`-1` lets one axis be inferred).
        allow_none: Whether `None` (an unknown dimension) is allowed.

    Returns:
        The dimensions as a tuple, or None when `value` is not such a shape (the caller
        raises its own error, naming its argument).

    Example:
        >>> to_dims([None, 4]), to_dims(4), to_dims((0, 4)), to_dims((-1, 4), minimum=-1)
        ((None, 4), (4,), None, (-1, 4))
    """
    if _is_dim(value):
        value = (value,)
    if isinstance(value, str):
        return None
    try:
        dims = tuple(value)
    except TypeError:
        return None
    if all((d is None and allow_none) or (_is_dim(d) and d >= minimum) for d in dims):
        return dims
    return None


def check_rank(who: str, input_shape, rank: int, layout: str, *, at_least: bool = False,
               fix: str = "") -> tuple:
    """Refuses an input shape of the wrong rank, naming the layer and the layout it expects.

    Args:
        who: The layer, as errors name it (`"LSTM 'lstm'"`).
        input_shape: The input's shape.
        rank: The rank expected.
        layout: The axes expected, for the message (`"batch, timesteps, features"`).
        at_least: Whether more axes are allowed.
        fix: How to fix it, appended to the message.

    Returns:
        The shape as a tuple.

    Raises:
        ValueError: `<who> expected inputs of rank [at least ]<rank>, (<layout>). Received:
            input_shape=<shape>. <fix>`

    Example:
        >>> check_rank("LSTM 'lstm'", [None, 5, 3], 3, "batch, timesteps, features")
        (None, 5, 3)
        >>> try:
        ...     check_rank("LSTM 'lstm'", (None, 3), 3, "batch, timesteps, features",
        ...                at_least=True)
        ... except ValueError as error:
        ...     print(error)
        LSTM 'lstm' expected inputs of rank at least 3, (batch, timesteps, features). Received: input_shape=(None, 3).
    """  # noqa: E501
    shape = tuple(input_shape)
    if len(shape) < rank or (len(shape) > rank and not at_least):
        bound = "at least " if at_least else ""
        raise ValueError(
            f"{who} expected inputs of rank {bound}{rank}, ({layout}). "
            f"Received: input_shape={shape}.{' ' + fix if fix else ''}"
        )
    return shape
