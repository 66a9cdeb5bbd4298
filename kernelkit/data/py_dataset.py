"""`PyDataset` (and its Keras 2 name `Sequence`): an indexable source of batches."""

from __future__ import annotations

__all__ = ["PyDataset", "Sequence"]


class PyDataset:
    """Base class for datasets that produce batch `index` on request.

    Implement `__len__` (number of batches per epoch) and `__getitem__(index)` returning a batch
    `(x,)`, `(x, y)` or `(x, y, sample_weight)`; `on_epoch_end` runs after every epoch. Batches
    are fetched ahead of the training step in `workers` background threads.

    Args:
        workers: Number of threads that fetch batches ahead (default 1).
        use_multiprocessing: Accepted for Keras compatibility; kernelkit uses threads, since
            forking a process that runs JAX is unsafe.
        max_queue_size: How many batches may wait, fetched, for the step (default 10).

    Example:
        >>> import numpy as np
        >>> class Squares(PyDataset):
        ...     def __len__(self):
        ...         return 2
        ...     def __getitem__(self, i):
        ...         x = np.arange(4.0)[:, None] + i
        ...         return x, x ** 2
        >>> len(Squares())
        2
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @property
    def num_batches(self) -> int | None:
        try:
            return len(self)
        except (TypeError, NotImplementedError):
            return None

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement __len__.")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__.")

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch; shuffle here if needed."""


Sequence = PyDataset
