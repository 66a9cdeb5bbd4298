"""Streamed data: generators, iterators, `PyDataset`, and any iterable of batches.

Batches are fetched one ahead in a background thread and moved to the device there, so the
transfer of the next batch overlaps the current step.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Iterator

import jax
import numpy as np

from kernelkit.data.py_dataset import PyDataset
from kernelkit.data.source import HostBatch
from kernelkit.data.unpack import unpack_x_y_sample_weight
from kernelkit.errors import describe

__all__ = ["IterableData", "is_iterable_data"]

_END = object()


def is_iterable_data(x) -> bool:
    """True for data that produces its own batches (generators, PyDataset, loaders...).

    Example:
        >>> is_iterable_data(np.zeros(3)), is_iterable_data(iter([np.zeros(3)]))
        (False, True)
    """
    if x is None or isinstance(x, np.ndarray | jax.Array | dict | list | tuple | str | bytes):
        return False
    if type(x).__module__.startswith("pandas"):
        return False
    return isinstance(x, PyDataset) or hasattr(x, "__iter__") or hasattr(x, "__next__")


def _to_numpy(leaf):
    if isinstance(leaf, jax.Array) or (isinstance(leaf, np.ndarray) and leaf.dtype != object):
        return leaf
    if hasattr(leaf, "numpy") and not hasattr(leaf, "__array_interface__"):
        try:
            leaf = leaf.numpy()  # tf / torch tensors
        except Exception:
            pass
    arr = np.asarray(leaf)
    if arr.dtype == object:
        raise ValueError(
            f"A batch contains non-numeric data ({describe(leaf)}). Expected arrays only."
        )
    return arr


def _check_batch(batch, index):
    if isinstance(batch, str | bytes) or batch is None:
        raise ValueError(
            f"Batch {index} has an invalid structure: expected an array, a dict, or a tuple "
            f"(x,), (x, y) or (x, y, sample_weight). Received: {describe(batch)}."
        )
    x, y, sw = unpack_x_y_sample_weight(batch)
    x, y, sw = jax.tree_util.tree_map(_to_numpy, (x, y, sw))
    counts = {np.shape(leaf)[0] for leaf in jax.tree_util.tree_leaves((x, y, sw))
              if np.ndim(leaf)}
    if len(counts) > 1:
        raise ValueError(
            f"Batch {index} holds arrays of different lengths {sorted(counts)}: every array in "
            f"one batch must have the same number of samples. Received: {describe((x, y, sw))}."
        )
    return x, y, sw


class IterableData:
    """Batches from a generator, iterator, `PyDataset` or re-iterable object.

    Args:
        source: Where batches come from.
        steps: Batches per epoch (`None`: until the source is exhausted, or `len(PyDataset)`).
        shuffle: For a `PyDataset`, shuffle the batch order every epoch.
        prefetch: Fetch batches in a background thread (`workers=0` turns it off).

    Example:
        >>> data = IterableData([(np.ones((2, 3)), np.zeros(2))], prefetch=False)
        >>> [(x.shape, y.shape, sw) for x, y, sw in data.epoch()]
        [((2, 3), (2,), None)]
    """

    def __init__(self, source, steps=None, shuffle=False, prefetch=True, seed=None):
        self.source = source
        self.shuffle = shuffle
        self.prefetch = prefetch and getattr(source, "workers", 1) != 0
        self.rng = np.random.default_rng(seed)
        if isinstance(source, PyDataset) and steps is None:
            steps = len(source)
        self.steps = None if steps is None or steps < 0 else int(steps)
        self.infinite = steps is not None and steps < 0
        self._one_shot = not isinstance(source, PyDataset) and (
            hasattr(source, "__next__") or iter(source) is source)
        self._iterator = None
        self.exhausted = False
        self.class_weight = None  # (class_weight, num_classes), applied per batch

    def _raw_batches(self) -> Iterator:
        if isinstance(self.source, PyDataset):
            order = np.arange(len(self.source))
            if self.shuffle:
                self.rng.shuffle(order)
            for i in order:
                yield self.source[int(i)]
            return
        if self._one_shot:
            if self._iterator is None:
                self._iterator = iter(self.source)
            # next() by hand, not `yield from`: closing this epoch's generator must not close
            # the user's iterator, which the next epoch continues (steps_per_epoch).
            while True:
                try:
                    batch = next(self._iterator)
                except StopIteration:
                    self.exhausted = True  # spent: a one-shot iterator has no next epoch
                    return
                yield batch
        yield from iter(self.source)

    def epoch(self) -> Iterator:
        """Yields `(x, y, sample_weight)` batches for one epoch, already on the device."""
        raw = self._raw_batches()
        limit = self.steps
        produced = 0

        def produce():
            nonlocal produced
            for batch in raw:
                yield jax.device_put(_check_batch(batch, produced))
                produced += 1
                if limit is not None and produced >= limit:
                    return
            if limit is not None and produced < limit and not self.infinite:
                self.exhausted = True

        source = produce()
        if self.prefetch:
            source = _prefetch(source, getattr(self.source, "max_queue_size", 2) or 2)
        yield from source
        if isinstance(self.source, PyDataset):
            self.source.on_epoch_end()

    host_targets = None  # the targets arrive with the batches

    def epoch_order(self, shuffle=None, batch_size=None):
        """None: streamed data comes in its own order (a `PyDataset` shuffles itself)."""
        return None

    def resumable_order(self, order):
        """None: a streamed epoch cannot resume mid-way; it starts again."""
        return None

    def pass_steps(self, batch_size=None, steps=None, wrap: bool = False) -> int | None:
        """Batches per pass: `steps` given at construction, `len(PyDataset)`, or None."""
        return self.steps

    def dispatches(self, batch_size=None, steps=None, group: int = 1, first_step: int = 0):
        """Yields one `HostBatch` per batch of the epoch (class weights applied)."""
        for batch in self.epoch():
            yield HostBatch(self._with_class_weight(batch))

    def apply_class_weight(self, class_weight, num_classes=None) -> None:
        """Keeps `class_weight`; each batch's sample weights are computed as it arrives."""
        self.class_weight = (class_weight, num_classes) if class_weight else None

    def _with_class_weight(self, batch):
        if not self.class_weight:
            return batch
        from kernelkit.data.array_data import class_weight_to_sample_weight

        x, y, sw = batch
        weights = class_weight_to_sample_weight(jax.device_get(y), *self.class_weight)
        if sw is not None:
            weights = jax.device_get(sw) * weights.reshape((-1,) + (1,) * (sw.ndim - 1))
        return x, y, jax.device_put(weights)

    def split(self, validation_split: float):
        raise ValueError(
            "fit: `validation_split` only works with arrays, not with generators, "
            "iterators or PyDataset objects. Received: validation_split="
            f"{validation_split}. Pass validation_data=... instead."
        )

    def first_batch(self, batch_size=None):
        """A batch to learn shapes from (consumed from one-shot iterators, then replayed)."""
        if isinstance(self.source, PyDataset):
            return _check_batch(self.source[0], 0)
        if self._one_shot:
            if self._iterator is None:
                self._iterator = iter(self.source)
            try:
                batch = next(self._iterator)
            except StopIteration:
                raise ValueError("The data iterator is empty: it yielded no batch.") from None
            self._iterator = itertools.chain([batch], self._iterator)
            return _check_batch(batch, 0)
        for batch in self.source:
            return _check_batch(batch, 0)
        raise ValueError("The data is empty: it yielded no batch.")


def _prefetch(source: Iterator, size: int) -> Iterator:
    """Runs `source` in a daemon thread, `size` items ahead; re-raises its errors here."""
    q: queue.Queue = queue.Queue(maxsize=max(1, size))
    stop = threading.Event()

    def work():
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(_END)
        except BaseException as e:  # handed to the consumer, never lost
            q.put(e)

    thread = threading.Thread(target=work, daemon=True, name="kernelkit-prefetch")
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
