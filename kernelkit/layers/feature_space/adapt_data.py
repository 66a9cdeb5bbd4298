"""The data `FeatureSpace.adapt` takes without tf.data, split into per-feature batches.

Accepted: a dict of arrays or lists (cut into batches of 32 rows, as Keras batches an
unbatched dataset), a list or other iterable of dict batches (`(x, y)` batches give `x`),
and a `kernelkit.utils.PyDataset` whose items are such batches.
"""

from __future__ import annotations

import numpy as np

from kernelkit.data.py_dataset import PyDataset
from kernelkit.errors import describe
from kernelkit.layers.structured.host_layer import to_host_array

__all__ = ["feature_batches"]

_BATCH = 32  # the batch size Keras gives an unbatched dataset


def _as_column(x):
    """A batch as the 2D column the preprocessors reduce over: `(batch,)` -> `(batch, 1)`."""
    return x[:, None] if x.ndim == 1 else x


def _iter_batches(dataset):
    if isinstance(dataset, PyDataset):
        return (dataset[i] for i in range(len(dataset)))
    if hasattr(dataset, "__iter__") and not isinstance(dataset, str | bytes | np.ndarray):
        return iter(dataset)
    raise TypeError(
        "FeatureSpace.adapt: unsupported data. Expected a dict of arrays, a list or iterable "
        "of dict batches, or a kernelkit.utils.PyDataset yielding dicts. Received: "
        f"dataset={describe(dataset)} of type {type(dataset).__name__}. Pass a dict such as "
        "{'age': ages, 'city': cities}.")


def _dict_of(batch):
    if isinstance(batch, tuple | list) and 1 <= len(batch) <= 3 and isinstance(batch[0], dict):
        batch = batch[0]  # (x, y) or (x, y, sample_weight): the features are x
    if not isinstance(batch, dict):
        raise TypeError(
            "FeatureSpace.adapt: every batch must be a dict mapping feature names to arrays. "
            f"Expected a dict (or an (x, y) tuple whose x is one). Received: a batch of type "
            f"{type(batch).__name__}. Yield dicts of arrays.")
    return batch


def _column(batch, name):
    if name not in batch:
        raise ValueError(
            f"FeatureSpace.adapt: the data has no feature '{name}'. Expected a key for every "
            f"adapted feature. Received: keys {sorted(batch)}. Add '{name}' to the data.")
    return to_host_array(batch[name])


def feature_batches(dataset, names) -> dict:
    """The batches of each feature in `names`, each a NumPy array of rank >= 2.

    Args:
        dataset: A dict of arrays, an iterable of dict batches, or a `PyDataset`.
        names: The features to collect.

    Returns:
        A dict mapping each name to a list of NumPy batches.

    Example:
        >>> batches = feature_batches({"x": np.arange(40.0)}, ["x"])
        >>> [b.shape for b in batches["x"]]
        [(32, 1), (8, 1)]
    """
    names = list(names)
    if isinstance(dataset, dict):
        columns = {name: _column(dataset, name) for name in names}
        return {name: [_as_column(np.atleast_1d(c)[i:i + _BATCH])
                       for i in range(0, max(len(np.atleast_1d(c)), 1), _BATCH)]
                for name, c in columns.items()}
    found = {name: [] for name in names}
    for batch in _iter_batches(dataset):
        batch = _dict_of(batch)
        for name in names:
            found[name].append(_column(batch, name))
    for name, batches in found.items():
        if batches and batches[0].ndim == 0:  # unbatched samples: batch them as Keras does
            batches = [np.stack(batches[i:i + _BATCH]) for i in range(0, len(batches), _BATCH)]
        found[name] = [_as_column(b) for b in batches]
    return found
