"""`ReduceLROnPlateau`: lowers the learning rate when a metric has stopped improving."""

from __future__ import annotations

import warnings

import numpy as np

from kernelkit.callbacks.monitor_callback import MonitorCallback
from kernelkit.callbacks.optimizer_lookup import learning_rate_of, optimizers_of

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` once `monitor` stops improving for `patience`.

    Sets `model.optimizer.learning_rate` (each optimizer's, for a multi-optimizer) and adds the
    current `learning_rate` to the epoch logs, so `History` records it.

    Args:
        monitor: The log key to watch. Defaults to `"val_loss"`.
        factor: The factor (< 1) the learning rate is multiplied by: `new_lr = lr * factor`.
        patience: Number of epochs without improvement after which the rate is reduced.
        verbose: 1 prints a message at each reduction.
        mode: `"auto"`, `"min"` or `"max"`.
        min_delta: Threshold for measuring a new optimum, to only focus on significant changes.
        cooldown: Number of epochs to wait after a reduction before counting again.
        min_lr: Lower bound on the learning rate.
        **kwargs: Only the legacy `epsilon` (an alias of `min_delta`, deprecated).

    Raises:
        ValueError: if `factor >= 1.0`.
        TypeError: for an unknown keyword argument.

    Example:
        >>> from types import SimpleNamespace
        >>> model = SimpleNamespace(optimizer=SimpleNamespace(learning_rate=1.0))
        >>> reducer = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
        >>> reducer.set_model(model)
        >>> reducer.on_train_begin()
        >>> for epoch in range(3):
        ...     reducer.on_epoch_end(epoch, {"loss": 1.0})
        >>> model.optimizer.learning_rate
        0.25
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warnings.warn(
                "ReduceLROnPlateau: `epsilon` is deprecated; use `min_delta` instead.",
                DeprecationWarning, stacklevel=2)
        if kwargs:
            raise TypeError(
                "ReduceLROnPlateau: unexpected keyword arguments. Expected monitor, factor, "
                "patience, verbose, mode, min_delta, cooldown or min_lr. Received: "
                f"{sorted(kwargs)}. Remove them or fix their spelling."
            )
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                "ReduceLROnPlateau: the factor would not reduce the learning rate. Expected "
                f"factor < 1.0. Received: factor={factor!r}. Pass e.g. factor=0.1."
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the callback is in its cooldown period after a reduction."""
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def _reduce(self, optimizer, epoch, name) -> bool:
        old_lr = learning_rate_of(optimizer)
        if old_lr <= np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            name_str = f" {name}" if name else ""
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{name_str} learning rate to "
                  f"{new_lr}.", flush=True)
        return True

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = {} if logs is None else logs
        model = self.model
        optimizers = optimizers_of(type(self).__name__, model)
        multi = len(optimizers) > 1 or optimizers[0] is not model.optimizer
        for optimizer in optimizers:
            key = f"learning_rate_{optimizer.name}" if multi else "learning_rate"
            logs[key] = learning_rate_of(optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                reduced = [self._reduce(o, epoch, o.name if multi else "") for o in optimizers]
                if any(reduced):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
