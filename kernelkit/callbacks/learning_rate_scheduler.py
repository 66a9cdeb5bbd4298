"""`LearningRateScheduler`: sets the learning rate at the start of each epoch from a function."""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from kernelkit.callbacks.callback import Callback
from kernelkit.callbacks.optimizer_lookup import learning_rate_of, optimizers_of
from kernelkit.errors import describe

__all__ = ["LearningRateScheduler"]


def _takes_learning_rate(schedule) -> bool | None:
    """Whether `schedule` accepts `(epoch, lr)`; `None` when its signature cannot be read."""
    try:
        signature = inspect.signature(schedule)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(0, 0.0)
    except TypeError:
        return False
    return True


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate at the start of each epoch to `schedule(epoch, lr)`.

    Args:
        schedule: A function of the 0-based epoch index and the current learning rate (a Python
            float) returning the new learning rate; a function of the epoch alone is accepted too.
        verbose: 1 prints a message at each epoch.

    Raises:
        TypeError: at epoch begin, if the schedule returns something that is not a number.

    Example:
        >>> from types import SimpleNamespace
        >>> model = SimpleNamespace(optimizer=SimpleNamespace(learning_rate=0.1))
        >>> scheduler = LearningRateScheduler(lambda epoch, lr: lr if epoch < 1 else lr / 2)
        >>> scheduler.set_model(model)
        >>> for epoch in range(3):
        ...     scheduler.on_epoch_begin(epoch)
        >>> model.optimizer.learning_rate
        0.025
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _call_schedule(self, epoch, learning_rate):
        takes_lr = _takes_learning_rate(self.schedule)
        if takes_lr is None:  # e.g. a builtin: try the modern form, as Keras does
            try:
                return self.schedule(epoch, learning_rate)
            except TypeError:
                return self.schedule(epoch)
        return self.schedule(epoch, learning_rate) if takes_lr else self.schedule(epoch)

    def _update(self, optimizer, epoch):
        new_lr = self._call_schedule(epoch, learning_rate_of(optimizer))
        if getattr(new_lr, "shape", None) == ():  # a 0-d NumPy or JAX array
            new_lr = np.asarray(new_lr)[()]
        if isinstance(new_lr, bool) or not isinstance(new_lr, numbers.Real):
            raise TypeError(
                "LearningRateScheduler: the schedule returned something that is not a number. "
                f"Expected a float learning rate. Received: schedule({epoch})="
                f"{describe(new_lr)}. Make the schedule return a Python float."
            )
        optimizer.learning_rate = float(new_lr)
        return float(new_lr)

    def on_epoch_begin(self, epoch, logs=None):
        optimizers = optimizers_of(type(self).__name__, self.model)
        multi = len(optimizers) > 1 or optimizers[0] is not self.model.optimizer
        for optimizer in optimizers:
            new_lr = self._update(optimizer, epoch)
            if self.verbose > 0:
                which = f"{optimizer.name} " if multi else ""
                print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which}learning rate "
                      f"to {new_lr}.", flush=True)

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        optimizers = optimizers_of(type(self).__name__, self.model)
        multi = len(optimizers) > 1 or optimizers[0] is not self.model.optimizer
        for optimizer in optimizers:
            key = f"learning_rate_{optimizer.name}" if multi else "learning_rate"
            logs[key] = learning_rate_of(optimizer)
