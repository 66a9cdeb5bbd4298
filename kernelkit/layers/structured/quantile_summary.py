"""Approximate quantile summaries for `Discretization.adapt` (the weighted-merge sketch of Keras)."""

from __future__ import annotations

import numpy as np

__all__ = ["bin_boundaries_of", "compress_summary", "empty_summary", "merge_summaries",
           "summarize"]


def empty_summary() -> np.ndarray:
    """A summary of no data: `(2, 0)` float32 (values row, weights row).

    Example:
        >>> empty_summary().shape
        (2, 0)
    """
    return np.zeros((2, 0), dtype="float32")


def summarize(values, epsilon: float) -> np.ndarray:
    """Every `len(values) * epsilon`-th sorted value, weighted by the count it stands for.

    Args:
        values: Data of any shape (flattened).
        epsilon: Target relative precision; about `1 / epsilon` values are kept.

    Returns:
        A `(2, k)` array: values, then weights.

    Example:
        >>> summarize(np.arange(4.0), 0.5).tolist()
        [[1.0, 3.0], [2.0, 2.0]]
    """
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size * epsilon, 1)
    kept = values[int(step - 1)::int(step)]
    return np.stack([kept, np.ones_like(kept) * step])


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Re-samples `summary` at cumulative-weight fractions `epsilon, 2 * epsilon, ..., 1`.

    Args:
        summary: A `(2, k)` summary sorted by value.
        epsilon: The spacing of the kept fractions.

    Returns:
        The compressed summary (unchanged when it is already small enough).

    Example:
        >>> compress_summary(np.array([[1.0, 2.0], [1.0, 1.0]]), 0.5).tolist()
        [[1.0, 2.0], [1.0, 1.0]]
    """
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    fractions = cum_weights / cum_weights[-1]
    new_values = np.interp(percents, fractions, summary[0])
    cum_weights = np.interp(percents, fractions, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_values, new_weights)).astype("float32")


def merge_summaries(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    """One summary of the data of two, compressed to `epsilon`.

    Args:
        first, second: `(2, k)` summaries.
        epsilon: Target relative precision.

    Returns:
        The merged summary.

    Example:
        >>> merge_summaries(summarize([1.0], 0.5), summarize([2.0], 0.5), 0.5).tolist()
        [[1.0, 2.0], [1.0, 1.0]]
    """
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def bin_boundaries_of(summary: np.ndarray, num_bins: int) -> list[float]:
    """The `num_bins - 1` inner quantile boundaries of the summarized data.

    Args:
        summary: A `(2, k)` summary.
        num_bins: Number of bins wanted.

    Returns:
        The boundaries as a list of floats.

    Example:
        >>> bin_boundaries_of(summarize(np.arange(8.0), 0.01), 2)
        [3.0]
    """
    return compress_summary(summary, 1.0 / num_bins)[0, :-1].tolist()
