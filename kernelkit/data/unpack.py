"""The `(x, y, sample_weight)` unpacking rules for batches yielded by iterators (catalogue 3.5)."""

from __future__ import annotations

from kernelkit.errors import describe

__all__ = ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"]


def _is_namedtuple(data) -> bool:
    return isinstance(data, tuple) and hasattr(data, "_fields")


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)`.

    A tuple (or list) of length 1, 2 or 3 gives x, y and sample weights; anything else (an
    array, a dict) is all `x`. Namedtuples are refused, because they read both as tuples and as
    dicts.

    Example:
        >>> unpack_x_y_sample_weight((1, 2))
        (1, 2, None)
        >>> unpack_x_y_sample_weight({"a": 1})
        ({'a': 1}, None, None)
    """
    if _is_namedtuple(data):
        raise ValueError(
            f"The data yielded a namedtuple ({type(data).__name__}), which is ambiguous: it is "
            "both a tuple and a mapping. Expected a plain tuple (x,), (x, y) or (x, y, "
            "sample_weight), or a dict for x. Convert it with tuple(batch) or batch._asdict()."
        )
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "A batch must be a tuple of length 1, 2 or 3: (x,), (x, y) or (x, y, sample_weight). "
        f"Received a tuple of length {len(data)}: {describe(data)}."
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The inverse of `unpack_x_y_sample_weight`: `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Example:
        >>> pack_x_y_sample_weight(1), pack_x_y_sample_weight(1, 2), pack_x_y_sample_weight(1, 2, 3)
        ((1,), (1, 2), (1, 2, 3))
    """
    if y is None:
        return (x,) if not isinstance(x, tuple | list) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
