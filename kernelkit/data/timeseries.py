"""`timeseries_dataset_from_array`: sliding windows over a timeseries, as a `PyDataset`."""

from __future__ import annotations

import numpy as np

from kernelkit.data.py_dataset import PyDataset

__all__ = ["TimeseriesDataset", "timeseries_dataset_from_array"]


class TimeseriesDataset(PyDataset):
    """Batches of windows `data[p : p + sequence_length * sampling_rate : sampling_rate]`.

    Built by `timeseries_dataset_from_array`; each item is `(windows, targets)`, or just
    `windows` without targets. Windows are cut on demand, so the data is not copied.

    Args:
        data: The timeseries, indexed by time along axis 0.
        targets: The target of the window starting at each position, or `None`.
        positions: The start position of each window, in output order.
        sequence_length: Time steps per window.
        sampling_rate: The step between two time steps of a window.
        batch_size: Windows per batch; `None` gives one window per item, unbatched.

    Example:
        >>> import numpy as np
        >>> ds = timeseries_dataset_from_array(np.arange(6), None, sequence_length=3)
        >>> len(ds), ds[0].tolist()
        (1, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])
    """

    def __init__(self, data, targets, positions, sequence_length, sampling_rate, batch_size):
        super().__init__()
        self.data, self.targets, self.positions = data, targets, positions
        self.sequence_length, self.sampling_rate = sequence_length, sampling_rate
        self.batch_size = batch_size

    def __len__(self) -> int:
        if self.batch_size is None:
            return len(self.positions)
        return -(-len(self.positions) // self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(
                f"TimeseriesDataset: batch index {index} is out of range. Expected an index "
                f"in [0, {len(self)}). Received: index={index}."
            )
        size = self.batch_size or 1
        starts = self.positions[index * size:(index + 1) * size]
        steps = starts[:, None] + np.arange(self.sequence_length) * self.sampling_rate
        windows = self.data[steps]  # (batch, sequence_length, *features)
        out = windows if self.targets is None else (windows, self.targets[starts])
        if self.batch_size is None:
            return out[0] if self.targets is None else (out[0][0], out[1][0])
        return out


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None, format="tf"):
    """Cuts sliding windows out of a timeseries, in batches, as Keras does (without TensorFlow).

    The window starting at `start_index + p` pairs with `targets[start_index + p]` (targets
    are not shifted: pass `targets=data[k:]` to predict `k` steps ahead).

    Args:
        data: Array-like indexed by time along axis 0.
        targets: Array-like of per-position targets, or `None`.
        sequence_length: Time steps per window.
        sequence_stride: The step between the starts of two windows.
        sampling_rate: The step between two time steps inside a window.
        batch_size: Windows per batch; `None` yields single windows.
        shuffle: Whether to shuffle the windows (with `np.random.RandomState(seed)`, as
            Keras shuffles its start positions).
        seed: The shuffling seed.
        start_index: The first time step used (default 0).
        end_index: The time step after the last one used (default `len(data)`).
        format: Accepted for Keras compatibility (`"tf"` or `"grain"`); kernelkit always
            returns a `TimeseriesDataset`, a `PyDataset` that `fit` reads directly.

    Returns:
        A `TimeseriesDataset`.

    Raises:
        ValueError: for a negative or too large `start_index`/`end_index`, or a
            non-positive or too large `sampling_rate`/`sequence_stride`.

    Example:
        >>> import numpy as np
        >>> ds = timeseries_dataset_from_array(np.arange(10), np.arange(10), 4,
        ...                                    sequence_stride=3, batch_size=2)
        >>> x, y = ds[0]
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2, 3], [3, 4, 5, 6]], [0, 3])
    """
    data = np.asarray(data)
    n = len(data)
    _check_positive_below("sampling_rate", sampling_rate, n)
    _check_positive_below("sequence_stride", sequence_stride, n)
    if start_index and not 0 <= start_index < n:
        raise ValueError(
            "timeseries_dataset_from_array: `start_index` is out of range. Expected 0 <= "
            f"start_index < len(data) = {n}. Received: start_index={start_index}."
        )
    if end_index and not ((start_index or 0) < end_index < n):
        raise ValueError(
            "timeseries_dataset_from_array: `end_index` is out of range. Expected "
            f"start_index < end_index < len(data) = {n}. Received: end_index={end_index}, "
            f"start_index={start_index}."
        )
    if format not in ("tf", "grain"):
        raise ValueError(
            "timeseries_dataset_from_array: unknown `format`. Expected 'tf' or 'grain'. "
            f"Received: format={format!r}."
        )
    start, end = start_index or 0, end_index or n
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)[start:]
        count = min(count, len(targets))
    positions = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        np.random.RandomState(np.random.randint(1e6) if seed is None else seed).shuffle(
            positions)
    return TimeseriesDataset(data[start:end], targets, positions, sequence_length,
                             sampling_rate, batch_size)


def _check_positive_below(name, value, n):
    if not 0 < value < n:
        raise ValueError(
            f"timeseries_dataset_from_array: `{name}` is out of range. Expected 0 < {name} < "
            f"len(data) = {n}. Received: {name}={value}."
        )
