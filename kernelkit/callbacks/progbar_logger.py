"""`ProgbarLogger`: prints progress and metrics of `fit`, `evaluate` and `predict` to stdout."""

from __future__ import annotations

from kernelkit.callbacks.callback import Callback
from kernelkit.callbacks.progbar import Progbar

__all__ = ["ProgbarLogger"]


class ProgbarLogger(Callback):
    """Prints a progress bar with the metrics; `fit()` adds one unless `verbose=0`.

    Reads `verbose`, `epochs` and `steps` from `params` (set by the loop). With `verbose=1` on a
    terminal the line is redrawn in place (`\\r`) with the ETA, the time per step and the
    metrics; when stdout is a file or a pipe, one plain line is printed per epoch instead.
    `verbose=2` prints exactly one compact line per epoch and asks for no batch hooks. Before
    each epoch of a multi-epoch `fit`, `Epoch i/n` is printed. Validation inside `fit` is silent;
    `evaluate` and `predict` get their own bar (target: their number of steps).

    Args:
        count_mode: What the bar counts; only `"steps"` (batches) is supported.

    Raises:
        ValueError: if `count_mode` is not `"steps"`.

    Example:
        >>> logger = ProgbarLogger()
        >>> logger.set_params({"verbose": 2, "epochs": 1, "steps": 3})
        >>> logger.needs_batch_hooks("train")
        False
        >>> logger.on_train_begin()
        >>> logger.on_epoch_begin(0)
        >>> logger.on_epoch_end(0, {"loss": 0.5})  # doctest: +ELLIPSIS
        3/3 - 0s - ...s/step - loss: 0.5000
    """

    def __init__(self, count_mode="steps"):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(
                "ProgbarLogger: unsupported count_mode. Expected count_mode='steps' (the bar "
                f"counts batches). Received: count_mode={count_mode!r}. Pass "
                "count_mode='steps'."
            )
        self.count_mode = count_mode
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        """Batch hooks are needed for the live bar, or to count steps when `steps` is unknown."""
        super().needs_batch_hooks(kind)  # validates `kind`
        if kind == "test" and self._called_in_fit:
            return False
        return self.verbose == 1 or (self.verbose == 2 and self.target is None)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True  # validation inside fit is silent

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._ensure_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._ensure_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._ensure_progbar()  # the clock starts with the epoch
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)  # the logs hold predictions, not metrics

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _ensure_progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                                   stateless_metrics=set())

    def _update_progbar(self, batch, logs):
        self._ensure_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize_progbar(self, logs):
        self._ensure_progbar()
        if self.target is None:  # learnt from the first epoch, kept for the next ones
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.progbar.target, list((logs or {}).items()), finalize=True)
