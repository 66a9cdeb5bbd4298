"""`CSVLogger`: streams each epoch's logs to a CSV file."""

from __future__ import annotations

import csv
import os

import numpy as np

from kernelkit.callbacks.callback import Callback

__all__ = ["CSVLogger"]


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value
    if hasattr(value, "__iter__"):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes one CSV row per epoch: `epoch` (0-based), then the sorted log keys.

    The columns are fixed by the first epoch's logs. When they hold no `val_` key, a `val_`
    column is added for each key (written as `NA` until validation runs), as Keras does.

    Args:
        filename: Path of the CSV file (a string or a path-like object).
        separator: The string separating the cells of a row.
        append: Whether to append to an existing file instead of overwriting it; the header is
            then only written when the file is missing or empty.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> logger = CSVLogger(path)
        >>> logger.on_train_begin()
        >>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
        >>> logger.on_train_end()
        >>> open(path).read().splitlines()
        ['epoch,loss,val_loss', '0,0.5,0.75']
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode)  # closed in on_train_end
        self.writer = None
        self.keys = None

    def _start_writer(self, logs):
        self.keys = sorted(logs)
        if self.keys and not any(key.startswith("val_") for key in self.keys):
            self.keys += [f"val_{key}" for key in self.keys]

        class Dialect(csv.excel):
            delimiter = self.sep

        self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys],
                                     dialect=Dialect)
        if self.append_header:
            self.writer.writeheader()

    def on_epoch_end(self, epoch, logs=None):
        if self.csv_file is None or self.csv_file.closed:
            raise RuntimeError(
                "CSVLogger: on_epoch_end was called while no file is open. Expected "
                "on_train_begin to be called first. Received: epoch="
                f"{epoch!r}. Call on_train_begin() before the first epoch ends."
            )
        logs = logs or {}
        if self.writer is None:
            self._start_writer(logs)
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
