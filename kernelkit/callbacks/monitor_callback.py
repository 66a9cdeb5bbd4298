"""`MonitorCallback`: the base of callbacks that watch one metric for improvement."""

from __future__ import annotations

import operator
import warnings

from kernelkit.callbacks.callback import Callback

__all__ = ["MonitorCallback"]


def _metric_direction(metrics, name):
    """The `_direction` ("up"/"down") of the metric called `name`, searching nested lists."""
    for metric in metrics or ():
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, list | tuple):
            found = _metric_direction(inner, name)
            if found is not None:
                return found
        if getattr(metric, "name", None) == name and getattr(metric, "_direction", None):
            return metric._direction
    return None


class MonitorCallback(Callback):
    """Base class for callbacks that watch `monitor` in the epoch logs for improvements.

    In `"auto"` mode the direction is taken from the name (`loss`/`val_loss` decrease) or from
    the model's metric of that name (its `_direction`, `"up"` for accuracies and AUC).

    Args:
        monitor: The log key to watch, e.g. `"val_loss"`.
        mode: `"auto"`, `"min"` or `"max"`; an unknown mode warns and falls back to `"auto"`.
        baseline: A reference value the monitored quantity must beat, or `None`.
        min_delta: The smallest change that counts as an improvement (its sign is ignored).

    Example:
        >>> watcher = MonitorCallback(monitor="val_loss")
        >>> watcher._set_monitor_op()
        >>> watcher._is_improvement(0.4, 0.5), watcher._is_improvement(0.6, 0.5)
        (True, False)
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            direction = "down" if name == "loss" else None
            direction = _metric_direction(getattr(self._model, "metrics", None), name) or direction
            if direction is None:
                raise ValueError(
                    f"{type(self).__name__}: cannot tell whether the monitored metric should be "
                    "maximized or minimized. Expected a loss or a metric of the model that "
                    f"declares its direction. Received: monitor={self.monitor!r}. Pass "
                    "mode='max' to monitor the highest value, or mode='min' for the lowest."
                )
            self.monitor_op = operator.gt if direction == "up" else operator.lt
        sign = -1 if self.monitor_op is operator.lt else 1
        self.min_delta = sign * abs(self.min_delta)

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
