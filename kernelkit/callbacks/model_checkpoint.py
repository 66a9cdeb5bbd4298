"""`ModelCheckpoint`: saves the model or its weights every epoch or every N batches."""

from __future__ import annotations

import math
import string
import warnings

from kernelkit.callbacks.monitor_callback import MonitorCallback

__all__ = ["ModelCheckpoint"]

_BUILTIN_FIELDS = frozenset({"epoch", "batch"})


def _template_fields(filepath: str) -> set[str]:
    fields = set()
    for _, field, _, _ in string.Formatter().parse(filepath):
        if field:
            fields.add(field.split(".")[0].split("[")[0].split(":")[0])
    return fields


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or its weights) during `fit`, every epoch or every `save_freq` batches.

    Args:
        filepath: A path template; `{epoch}` (1-based), `{batch}` and the names of logged
            metrics (`{val_loss:.2f}`) are filled in. It must end in `.keras`, or in
            `.weights.h5` when `save_weights_only=True`.
        monitor: The log key to compare when `save_best_only=True`.
        verbose: 1 prints a line per save.
        save_best_only: Save only when `monitor` improves; NaN never counts as best.
        save_weights_only: Save `save_weights` files instead of whole models.
        mode: `"auto"`, `"min"` or `"max"`.
        save_freq: `"epoch"`, or a number of batches between saves.
        initial_value_threshold: A value `monitor` must beat before the first save.

    Raises:
        ValueError: for a wrong extension or `save_freq`; at `on_train_begin`, for a template
            naming a metric the model will not log.

    Example:
        >>> cb = ModelCheckpoint("ckpt-{epoch:02d}.keras")
        >>> cb._path_for(0, None, {})
        'ckpt-01.keras'
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold)
        self.filepath = str(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        suffix = ".weights.h5" if save_weights_only else ".keras"
        if not self.filepath.endswith(suffix):
            raise ValueError(
                f"ModelCheckpoint: with save_weights_only={save_weights_only} the file path "
                f"must end in '{suffix}'. Received: filepath={self.filepath!r}. Change the "
                "extension or the save_weights_only argument."
            )
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(
                save_freq, int) or save_freq < 1):
            raise ValueError(
                "ModelCheckpoint: unrecognized save_freq. Expected 'epoch' or a positive "
                f"number of batches. Received: save_freq={save_freq!r}."
            )
        self._batches_seen = 0
        self._current_epoch = 0

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        return kind == "train" and self.save_freq != "epoch"

    def on_train_begin(self, logs=None):
        names = list(getattr(self.model, "metrics_names", []) or [])
        unknown = _template_fields(self.filepath) - _BUILTIN_FIELDS
        if names:
            known = set(names) | {f"val_{n}" for n in names}
            missing = sorted(unknown - known)
            if missing:
                raise ValueError(
                    f"ModelCheckpoint: the file path names {missing}, which the model will "
                    f"not log. Expected '{{epoch}}', '{{batch}}' or one of {sorted(known)}. "
                    f"Received: filepath={self.filepath!r}. Fix the template."
                )
        if self.save_best_only and self.monitor_op is None:
            self._set_monitor_op()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._current_epoch, batch, logs or {})

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs or {})

    def _path_for(self, epoch, batch, logs) -> str:
        values = {k: v for k, v in logs.items() if k not in _BUILTIN_FIELDS}
        if batch is None:
            return self.filepath.format(epoch=epoch + 1, **values)
        return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **values)

    def _save(self, epoch, batch, logs) -> None:
        try:
            path = self._path_for(epoch, batch, logs)
        except KeyError as e:
            raise KeyError(
                f"ModelCheckpoint: the file path names {e}, which is not in the logs. "
                f"Expected one of {sorted(logs)}. Received: filepath={self.filepath!r}."
            ) from None
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"ModelCheckpoint: can save best model only with {self.monitor} "
                              f"available; the logs hold {sorted(logs)}. Skipping.",
                              stacklevel=2)
                return
            current = float(current)
            if math.isnan(current) or not self._is_improvement(current, self.best):
                if self.verbose:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{self.best}")
                return
            if self.verbose:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best} to "
                      f"{current}, saving model to {path}")
            self.best = current
        elif self.verbose:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
