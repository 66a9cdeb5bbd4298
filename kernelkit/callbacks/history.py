"""`History`: records each epoch's logs; `fit()` returns it."""

from __future__ import annotations

from kernelkit.callbacks.callback import Callback
from kernelkit.callbacks.python_logs import to_python_logs

__all__ = ["History"]


class History(Callback):
    """Records the logs of every epoch; `fit()` adds one automatically and returns it.

    Attributes:
        history: Dict mapping each log key (`loss`, `val_loss`, metric names) to the list of its
            per-epoch values, as Python floats (so the dict is JSON-serialisable). It keeps
            growing across `fit()` calls, as in Keras.
        epoch: The list of epoch indices recorded by the current `fit()`.

    Example:
        >>> history = History()
        >>> history.on_train_begin()
        >>> history.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
        >>> history.history
        {'loss': [0.5], 'val_loss': [0.75]}
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in to_python_logs(logs, sort_keys=False).items():
            self.history.setdefault(key, []).append(value)
        if self._model is not None:
            self._model.history = self

    def _repr_html_(self) -> str:
        """In a notebook: each metric's final and best value beside a sparkline of its curve."""
        from kernelkit.display.history_view import history_html

        return history_html(self.history)

    def __repr__(self) -> str:
        epochs = max((len(v) for v in self.history.values()), default=0)
        finals = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items()
                           if v and isinstance(v[-1], int | float))
        return f"<History: {epochs} epochs{'; ' + finals if finals else ''}>"

