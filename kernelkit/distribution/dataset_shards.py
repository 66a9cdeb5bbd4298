"""`shard_dataset`: one contiguous share of in-memory arrays (`Distribution.distribute_dataset`)."""

from __future__ import annotations

import jax

from kernelkit.errors import describe

__all__ = ["shard_dataset"]


def _is_array(x) -> bool:
    shape = getattr(x, "shape", None)
    return shape is not None and hasattr(x, "__getitem__") and len(shape) >= 1


def _is_none(x) -> bool:
    return x is None  # a leaf here, so a missing entry is refused like any non-array


def _cut(leaf, start, stop):
    rows = getattr(leaf, "iloc", leaf)  # pandas: positional rows
    return rows[start:stop]


def shard_dataset(dataset, num_shards: int, shard_id: int, who: str = "Distribution"):
    """The `shard_id`-th of `num_shards` contiguous shares of an array dataset.

    The samples (first axis) are cut into `num_shards` runs of consecutive samples: shard
    `s` of `n` samples holds samples `s * n // num_shards` to `(s + 1) * n // num_shards`,
    so the shares differ by at most one sample.

    Args:
        dataset: An array (NumPy, JAX, pandas, ...), or a tuple, list or dict of them
            (nested as `x`, `y` and `sample_weight` are) with one first dimension.
        num_shards: How many shares the samples are cut into.
        shard_id: Which share to return, `0` to `num_shards - 1`.
        who: The caller's name, for error messages.

    Returns:
        The same structure holding only that share's samples.

    Raises:
        ValueError: If `dataset` holds something other than arrays, if its arrays have
            different first dimensions, or if it has fewer samples than shares.

    Example:
        >>> import numpy as np
        >>> x, y = np.arange(10).reshape(5, 2), np.arange(5)
        >>> part_x, part_y = shard_dataset((x, y), num_shards=2, shard_id=1)
        >>> part_x.tolist(), part_y.tolist()
        ([[4, 5], [6, 7], [8, 9]], [2, 3, 4])
    """
    leaves = jax.tree_util.tree_leaves(dataset, is_leaf=_is_none)
    if not leaves or not all(_is_array(leaf) for leaf in leaves):
        raise ValueError(
            f"{who}: distribute_dataset cannot shard this dataset in a multi-process run. "
            "Expected an array, or a tuple, list or dict of arrays with the same first "
            f"dimension. Received: dataset={describe(dataset)}. Pass arrays, or give each "
            "process its own share "
            "yourself and create the distribution with auto_shard_dataset=False."
        )
    counts = sorted({int(leaf.shape[0]) for leaf in leaves})
    if len(counts) > 1:
        raise ValueError(
            f"{who}: distribute_dataset needs arrays with one number of samples, but they "
            f"have {counts}. Expected the same first dimension in every array. Received: "
            f"dataset={describe(dataset)}. Pass arrays of matching lengths."
        )
    n = counts[0]
    if n < num_shards:
        raise ValueError(
            f"{who}: distribute_dataset cannot split {n} samples among {num_shards} data "
            f"shards (processes): a share would be empty. Expected at least {num_shards} "
            f"samples. Received: dataset={describe(dataset)}. Pass more data."
        )
    start, stop = shard_id * n // num_shards, (shard_id + 1) * n // num_shards
    return jax.tree_util.tree_map(lambda leaf: _cut(leaf, start, stop), dataset)
