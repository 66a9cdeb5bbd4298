"""`EarlyStopping`: stops training when a monitored metric has stopped improving."""

from __future__ import annotations

import warnings

from kernelkit.callbacks.monitor_callback import MonitorCallback

__all__ = ["EarlyStopping"]


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At each epoch end the monitored value is compared with the best so far; after `patience`
    epochs without improvement, `model.stop_training` is set to `True`. The loop checks it at
    the end of the epoch.

    Args:
        monitor: The log key to watch. Defaults to `"val_loss"`.
        min_delta: The smallest change that counts as an improvement.
        patience: Number of epochs without improvement after which training stops.
        verbose: 1 prints a message when stopping and when restoring weights.
        mode: `"auto"`, `"min"` or `"max"`: whether the metric should decrease or increase.
        baseline: A value to beat: `wait` is only reset by values that beat both the previous
            best and the baseline.
        restore_best_weights: Whether to restore the weights of the best epoch at the end of
            training (when the best epoch was seen, even if training did not stop early).
        start_from_epoch: Number of warm-up epochs before improvements are watched.

    Attributes:
        stopped_epoch: The 0-based epoch at which training was stopped, or 0.
        best: The best monitored value so far.
        best_epoch: The epoch of `best`.
        wait: Epochs since the last improvement.

    Example:
        >>> class FakeModel:
        ...     stop_training = False
        >>> stopper = EarlyStopping(monitor="loss", patience=1)
        >>> stopper.set_model(FakeModel())
        >>> stopper.on_train_begin()
        >>> for epoch, loss in enumerate([0.5, 0.6, 0.7]):
        ...     stopper.on_epoch_end(epoch, {"loss": loss})
        ...     if stopper.model.stop_training:
        ...         break
        >>> stopper.model.stop_training, stopper.stopped_epoch
        (True, 1)
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        # Instances may be re-used across fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()  # delayed until the model's metrics exist
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping", flush=True)
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.", flush=True)
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value in `logs`, or `None` (with a warning) when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs)}",
                stacklevel=2,
            )
        return value
