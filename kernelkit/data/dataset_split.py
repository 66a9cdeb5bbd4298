"""`split_dataset`: arrays (or tuples/dicts of arrays) split into a left and a right part."""

from __future__ import annotations

import random

import jax
import numpy as np

__all__ = ["split_dataset"]


def _size(who, side, value, total):
    if value is None:
        return None
    if type(value) not in (int, float):
        raise TypeError(
            f"split_dataset: `{side}` must be an int, a float or None. Expected a sample "
            f"count or a fraction. Received: {side}={value!r} of type {type(value).__name__}."
        )
    if (isinstance(value, int) and not 0 < value < total) or (
            isinstance(value, float) and not 0 < value < 1):
        raise ValueError(
            f"split_dataset: `{side}` is out of range. Expected an int in (0, {total}) or a "
            f"float in (0, 1). Received: {side}={value}."
        )
    return round(value * total) if isinstance(value, float) else value


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None,
                  preferred_backend=None):
    """Splits samples into a left and a right part (e.g. train and test), as Keras does.

    Sizes are sample counts (int) or fractions (float); a missing one is the rest. With
    `shuffle`, samples are shuffled with Python's `random.Random(seed)` first.

    Args:
        dataset: An array, or a tuple, list or dict of arrays with one length.
        left_size: The left part's size, or `None` for the rest.
        right_size: The right part's size, or `None` for the rest.
        shuffle: Whether to shuffle the samples before splitting.
        seed: The shuffling seed.
        preferred_backend: Accepted for Keras compatibility; kernelkit returns arrays.

    Returns:
        `(left, right)`, each of the same structure as `dataset` (NumPy arrays), ready for
        `fit`.

    Raises:
        ValueError: without any size, for sizes out of range or summing above the total,
            or arrays of different lengths.
        TypeError: for sizes that are neither int nor float.

    Example:
        >>> import numpy as np
        >>> left, right = split_dataset((np.arange(5), np.arange(5) * 10), left_size=0.6)
        >>> left[1].tolist(), right[0].tolist()
        ([0, 10, 20], [3, 4])
    """
    leaves, treedef = jax.tree_util.tree_flatten(dataset)
    arrays = [np.asarray(x) for x in leaves]
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(
            "split_dataset: the arrays have different lengths. Expected arrays with one "
            f"number of samples. Received: lengths {sorted(lengths)}."
        )
    total = lengths.pop()
    if left_size is None and right_size is None:
        raise ValueError(
            "split_dataset: no size given. Expected `left_size` or `right_size` (or both). "
            "Received: left_size=None, right_size=None."
        )
    left = _size("split_dataset", "left_size", left_size, total)
    right = _size("split_dataset", "right_size", right_size, total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left == 0 or right == 0:
        raise ValueError(
            f"split_dataset: the sizes do not fit {total} samples. Expected two non-empty "
            f"parts within the total. Received: left_size={left_size} ({left}), "
            f"right_size={right_size} ({right})."
        )
    order = list(range(total))
    if shuffle:
        random.Random(random.randint(0, int(1e6)) if seed is None else seed).shuffle(order)
    order = np.asarray(order)
    left_part = treedef.unflatten([a[order[:left]] for a in arrays])
    right_part = treedef.unflatten([a[order[total - right:]] for a in arrays])
    return left_part, right_part
