"""`DataSource`: what a training, evaluation or prediction pass needs from its data.

Two sources implement it: `ArrayData` (arrays in memory, put on the device once; a dispatch
names its batches by a start offset) and `IterableData` (generators, iterators, `PyDataset`:
each dispatch carries one batch already on the device). The passes of `fit`, `evaluate` and
`predict` see only this protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from kernelkit.data.unpack import pack_x_y_sample_weight

__all__ = ["DataSource", "HostBatch"]


@dataclass(frozen=True)
class HostBatch:
    """One dispatch of streamed data: one `(x, y, sample_weight)` batch on the device.

    Example:
        >>> HostBatch(batch=(1, None, None)).packed
        (1,)
    """

    batch: Any
    steps: int = 1

    @property
    def packed(self):
        """The batch as a step receives it: `x`, `(x, y)` or `(x, y, sample_weight)`."""
        return pack_x_y_sample_weight(*self.batch)


@runtime_checkable
class DataSource(Protocol):
    """The protocol of the data a pass runs over (`ArrayData`, `IterableData`).

    `dispatches` yields `Execution`s (array data: `steps` batches gathered on the device from
    `start`) or `HostBatch`es (streamed data). `host_targets` are the targets when they are
    all in memory (checked once, on the host), else None.

    Example:
        >>> import numpy as np
        >>> from kernelkit.data.array_data import ArrayData
        >>> source = ArrayData(np.zeros((10, 3)), np.zeros((10,)))
        >>> isinstance(source, DataSource), source.pass_steps(4, None)
        (True, 3)
    """

    exhausted: bool

    def first_batch(self, batch_size: int):
        """A batch `(x, y, sample_weight)` to learn shapes from."""

    def pass_steps(self, batch_size: int, steps: int | None, wrap: bool = False) -> int | None:
        """Batches in one pass (`wrap`: `steps` may run past the end and start over)."""

    def dispatches(self, batch_size: int, steps: int | None, group: int, first_step: int = 0):
        """The dispatches of one pass, `group` steps at a time where the data allows."""

    def apply_class_weight(self, class_weight, num_classes: int | None) -> None:
        """Turns `class_weight` into per-sample weights (now, or per batch)."""

    def split(self, validation_split: float):
        """`(train, validation)` sources, the validation part taken from the end."""

    @property
    def host_targets(self):
        """The targets when they are in memory, else None."""
