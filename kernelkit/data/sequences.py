"""`pad_sequences`: a list of variable-length sequences to one padded 2D (or more) array."""

from __future__ import annotations

import numpy as np

__all__ = ["pad_sequences"]


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads (or truncates) each sequence to `maxlen`, giving an array `(samples, maxlen, ...)`.

    Args:
        sequences: A list of sequences (lists or arrays; items may themselves be arrays of
            one shape).
        maxlen: The output length; `None` means the longest sequence's length.
        dtype: The output dtype (`object` for variable-length strings).
        padding: `"pre"` or `"post"`: pad before or after each sequence.
        truncating: `"pre"` or `"post"`: drop values from the start or the end of sequences
            longer than `maxlen`.
        value: The padding value.

    Returns:
        A NumPy array.

    Raises:
        ValueError: for a non-iterable entry, an unknown `padding`/`truncating`, a string
            `value` with a numeric dtype, or entries of different item shapes.

    Example:
        >>> pad_sequences([[1, 2, 3], [4]], maxlen=2)
        array([[2, 3],
               [0, 4]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "pad_sequences: `sequences` must be a list of sequences. Expected a list. "
            f"Received: sequences of type {type(sequences).__name__}. Pass a list."
        )
    for name, option in (("padding", padding), ("truncating", truncating)):
        if option not in ("pre", "post"):
            raise ValueError(
                f"pad_sequences: unknown `{name}`. Expected 'pre' or 'post'. Received: "
                f"{name}={option!r}."
            )
    lengths, item_shape = [], None
    for i, seq in enumerate(sequences):
        try:
            lengths.append(len(seq))
        except TypeError:
            raise ValueError(
                f"pad_sequences: entry {i} is not a sequence. Expected a list of iterables. "
                f"Received: sequences[{i}] of type {type(seq).__name__}. Wrap it in a list."
            ) from None
        if item_shape is None and len(seq):
            item_shape = np.asarray(seq).shape[1:]
    item_shape = item_shape or ()
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    text_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not text_dtype:
        raise ValueError(
            f"pad_sequences: a string `value` cannot fill dtype {dtype}. Expected dtype=object "
            f"or a string dtype. Received: value={value!r}, dtype={dtype!r}. Pass "
            "dtype=object for variable-length strings."
        )
    out = np.full((len(sequences), maxlen) + tuple(item_shape), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq) or maxlen == 0:
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.shape[1:] != tuple(item_shape):
            raise ValueError(
                f"pad_sequences: entry {i} has items of shape {kept.shape[1:]}. Expected "
                f"items of shape {tuple(item_shape)} like the first entry. Received: "
                f"sequences[{i}] with item shape {kept.shape[1:]}."
            )
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, -len(kept):] = kept
    return out
