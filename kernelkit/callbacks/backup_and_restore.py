"""`BackupAndRestore`: backs training up every epoch, and resumes an interrupted `fit`."""

from __future__ import annotations

import os
import pathlib
import shutil

import numpy as np

from kernelkit.callbacks.callback import Callback
from kernelkit.saving.archive import weights_bytes
from kernelkit.saving.atomic_write import atomic_path
from kernelkit.saving.rng_state import read_rng_state, write_rng_state
from kernelkit.saving.safe_h5 import open_h5
from kernelkit.saving.weights_h5 import (
    apply_assignments,
    read_layer_weights,
    read_store,
    write_store,
)

__all__ = ["BackupAndRestore"]

_FILE = "latest.weights.h5"
_ORDER = "training_order"  # the sample order of the epoch a mid-epoch backup was made in
_METRICS = "training_metrics"  # and that epoch's metric state

class BackupAndRestore(Callback):
    """Backs up the training state so an interrupted `fit` resumes where it stopped.

    The backup (`backup_dir/latest.weights.h5`, written atomically) holds the weights, the
    optimizer state, the epoch counter and the random state (the model's RNG streams and
    kernelkit's global generator), so a resumed run ends with the weights an uninterrupted
    run would have, shuffling and dropout included. A new `fit` with the same callback loads
    the backup and starts at the epoch after the last one backed up. With `save_freq=N`
    batches, a run on arrays interrupted mid-epoch resumes at the batch after its last backup,
    in the same sample order and with that epoch's metric state; with generators and other
    streams, it restarts that epoch from the backed-up weights.

    Args:
        backup_dir: The directory of the backup.
        save_freq: `"epoch"`, a number of batches, or `False` (never back up mid-run).
        delete_checkpoint: Delete the backup when training finishes.

    Raises:
        ValueError: for an empty `backup_dir` or an invalid `save_freq`.

    Example:
        >>> import tempfile
        >>> cb = BackupAndRestore(tempfile.mkdtemp())
        >>> cb.resume_epoch is None
        True
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(
                "BackupAndRestore: `backup_dir` must name a directory. Expected a path. "
                f"Received: backup_dir={backup_dir!r}."
            )
        if save_freq not in ("epoch", False) and (
                isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1):
            raise ValueError(
                "BackupAndRestore: invalid save_freq. Expected 'epoch', False or a positive "
                f"number of batches. Received: save_freq={save_freq!r}."
            )
        self.backup_dir = pathlib.Path(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.resume_epoch = None
        self._epoch = 0
        self._epochs_done = 0
        self._batches_seen = 0

    @property
    def _path(self) -> pathlib.Path:
        return self.backup_dir / _FILE

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        return kind == "train" and isinstance(self.save_freq, int) and not isinstance(
            self.save_freq, bool)

    def on_train_begin(self, logs=None):
        self.resume_epoch, self.resume_step = None, 0
        self.resume_order = self.resume_metrics = None
        self._batches_seen = 0
        if self._path.is_file():
            self._restore()

    def _restore(self) -> None:
        model = self.model
        with open_h5(self._path, self._path, "BackupAndRestore backup") as handle:
            apply_assignments(read_layer_weights(handle, model, filepath=self._path))
            model._restore_optimizer_variables(read_store(handle, "optimizer"), self._path)
            read_rng_state(handle, model)
            epoch = int(handle.attrs.get("epoch", -1))
            self.resume_step = int(handle.attrs.get("step", 0))
            self.resume_order = np.asarray(handle[_ORDER]) if _ORDER in handle else None
            self.resume_metrics = read_store(handle, _METRICS)
        self.resume_epoch = epoch + 1
        self._epochs_done = self.resume_epoch
        session = getattr(model, "training_session", None)
        if session is not None:  # the running fit continues from the restored state
            session.restore(self.resume_epoch, self.resume_step, self.resume_order,
                            self.resume_metrics)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if not self.needs_batch_hooks("train"):
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._backup(self._epoch - 1, step=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._epochs_done = epoch + 1
        if self.save_freq == "epoch":
            self._backup(epoch)

    def _backup(self, last_finished_epoch: int, step: int = 0) -> None:
        """Writes the backup; mid-epoch (`step` batches done) with the epoch's sample order."""
        model = self.model
        sync = getattr(model, "jax_state_sync", None)
        if sync is not None:
            sync()
        session = getattr(model, "training_session", None)
        snapshot = session.snapshot() if session is not None and step else None
        order = snapshot.order if snapshot is not None else None
        metrics = snapshot.metrics if order is not None else None

        def extra(handle):
            write_rng_state(handle, model)
            handle.attrs["epoch"] = last_finished_epoch
            if order is not None:
                handle.attrs["step"] = step
                handle.create_dataset(_ORDER, data=np.asarray(order))
                write_store(handle, _METRICS, None, metrics)

        data = weights_bytes(model, include_optimizer=True, extra=extra)
        with atomic_path(self._path) as tmp:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())

    def on_train_end(self, logs=None):
        finished = self._epochs_done >= (self.params or {}).get("epochs", 0) or getattr(
            self.model, "stop_training", False)
        if finished and self.delete_checkpoint and self.backup_dir.exists():
            shutil.rmtree(self.backup_dir, ignore_errors=True)

