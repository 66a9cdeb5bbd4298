"""From the arguments of `fit` / `evaluate` / `predict` to the data the loops iterate."""

from __future__ import annotations

import numpy as np

from kernelkit.data.array_data import ArrayData
from kernelkit.data.iterable_data import IterableData, is_iterable_data
from kernelkit.data.unpack import unpack_x_y_sample_weight
from kernelkit.distribution.placement import check_batch_split
from kernelkit.errors import describe

__all__ = ["check_batch_size", "check_stateful_batches", "make_data", "make_validation_data"]


def check_batch_size(batch_size, default=32, what="batch_size") -> int:
    if batch_size is None:
        return check_batch_split(default, what)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) \
            or batch_size <= 0:
        raise ValueError(
            f"{what} must be a positive integer. Received: {what}={batch_size!r}. "
            f"Leave it unset for the default ({default})."
        )
    return check_batch_split(int(batch_size), what)  # the mesh's batch axis must divide it


def check_stateful_batches(model, data, batch_size: int, steps=None, what="fit") -> None:
    """Refuses arrays that end in a partial batch when the model has stateful layers.

    A stateful layer keeps its states for one batch size; Keras refuses such data before it
    runs anything, so no state is updated by the batches before the partial one.
    """
    if not isinstance(data, ArrayData) or data.num_samples % batch_size == 0:
        return
    if steps is not None and steps * batch_size <= data.num_samples:
        return  # only whole batches are used
    from flax import nnx

    stateful = [node for _, node in nnx.iter_graph(model)
                if node is not model and getattr(node, "stateful", False) is True]
    if not stateful:
        return
    names = ", ".join(f"{type(n).__name__} '{getattr(n, 'name', '?')}'" for n in stateful)
    left = data.num_samples % batch_size
    raise ValueError(
        f"{what}: the model has stateful layers ({names}), which keep their states for one "
        f"batch size, so the number of samples must be a multiple of the batch size. "
        f"Received: {data.num_samples} samples with batch_size={batch_size} ({left} left over "
        f"in a last, partial batch). Drop the last {left} samples, or pick a batch size that "
        f"divides {data.num_samples}."
    )


def make_data(x, y=None, sample_weight=None, *, batch_size=None, steps=None, shuffle=False,
              what="fit", seed=None):
    """`ArrayData` for in-memory arrays, `IterableData` for sources that yield batches."""
    if is_iterable_data(x):
        if y is not None:
            raise ValueError(
                f"{what}: `y` must not be given when `x` is a generator, iterator, PyDataset or "
                "other source of batches: the targets come from the batches themselves. "
                f"Received: y={describe(y)}. Yield (x, y) batches instead."
            )
        if sample_weight is not None:
            raise ValueError(
                f"{what}: `sample_weight` must not be given when `x` yields batches. Yield "
                "(x, y, sample_weight) batches instead. Received: sample_weight="
                f"{describe(sample_weight)}."
            )
        if batch_size is not None:
            raise ValueError(
                f"{what}: `batch_size` must not be given when `x` yields its own batches. "
                f"Received: batch_size={batch_size!r}."
            )
        return IterableData(x, steps=steps, shuffle=shuffle is True, seed=seed)
    if x is None:
        raise ValueError(f"{what}: no input data. Expected `x`. Received: x=None.")
    return ArrayData(x, y, sample_weight)


def make_validation_data(validation_data, batch_size, steps):
    """`validation_data` as a tuple `(x, y[, w])` of arrays or any source of batches."""
    if validation_data is None:
        return None
    if is_iterable_data(validation_data):
        return IterableData(validation_data, steps=steps)
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        x, y, w = unpack_x_y_sample_weight(tuple(validation_data))
        return ArrayData(x, y, w)
    raise ValueError(
        "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, val_sample_weight), "
        "a generator, a PyDataset or an iterable of batches. Received: "
        f"validation_data={describe(validation_data)}."
    )
