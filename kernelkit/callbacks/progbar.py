"""`Progbar`: the Keras-style text progress bar, computed as a `ProgressLine` then rendered.

On a terminal (or a Jupyter output stream) the line is redrawn in place with `\\r`; anywhere else
(a log file, a pipe) only the finished line is written, without carriage returns, backspaces or
colour codes.
"""

from __future__ import annotations

import logging
import math
import re
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from kernelkit.config import is_interactive_logging_enabled

__all__ = ["ProgressLine", "Progbar", "is_dynamic_stream", "render_line"]

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"
_BAR_CHAR = "━"
_clock = time.monotonic  # a module attribute so tests can drive time


def is_dynamic_stream(stream) -> bool:
    """Whether `stream` shows `\\r` redraws: a terminal or a Jupyter kernel's output stream."""
    if type(stream).__module__.startswith("ipykernel"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@dataclass
class ProgressLine:
    """What one progress line says, before any rendering.

    Attributes:
        current: Steps done so far.
        target: Total steps, or `None` when unknown.
        elapsed: Seconds since the bar started.
        eta: Estimated seconds left, or `None` once finished or when the target is unknown.
        time_per_unit: Estimated seconds per step.
        unit_name: What a step is called (`"step"`).
        metrics: `(name, value)` pairs in display order.
        finalized: Whether this is the last line of the bar.
    """

    current: int
    target: int | None
    elapsed: float
    eta: float | None
    time_per_unit: float
    unit_name: str = "step"
    metrics: list = field(default_factory=list)
    finalized: bool = False


def _format_duration(seconds: float) -> str:
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def _format_rate(time_per_unit: float, unit_name: str) -> str:
    if time_per_unit >= 1 or time_per_unit == 0:
        return f"{time_per_unit:.0f}s/{unit_name}"
    if time_per_unit >= 1e-3:
        return f"{time_per_unit * 1e3:.0f}ms/{unit_name}"
    return f"{time_per_unit * 1e6:.0f}us/{unit_name}"


def _format_metrics(metrics) -> str:
    parts = []
    for name, value in metrics:
        try:
            value = float(np.mean(value))
        except (TypeError, ValueError):
            parts.append(f" - {name}: {value}")
            continue
        parts.append(f" - {name}: {value:.4f}" if abs(value) > 1e-3 else f" - {name}: {value:.4e}")
    return "".join(parts)


def render_line(line: ProgressLine, style: str = "plain", width: int = 20) -> str:
    """Renders a `ProgressLine` as text, without line ending.

    Args:
        line: The line to render.
        style: `"color"` (terminal, with ANSI colours), `"plain"` (the same text without colour
            codes) or `"compact"` (Keras's `verbose=2` epoch line: `10/10 - 1s - 5ms/step - ...`).
        width: Number of characters of the bar itself.

    Returns:
        The line as a string.

    Example:
        >>> line = ProgressLine(current=10, target=10, elapsed=1.2, eta=None,
        ...                     time_per_unit=0.005, metrics=[("loss", 0.25)], finalized=True)
        >>> render_line(line, "compact")
        '10/10 - 1s - 5ms/step - loss: 0.2500'
    """
    metrics = _format_metrics(line.metrics)
    rate = _format_rate(line.time_per_unit, line.unit_name)
    known = line.target is not None and line.target > 0
    if known:
        digits = int(math.log10(line.target)) + 1
        count = f"{int(line.current):{digits}d}/{int(line.target)}"
    else:
        count = f"{int(line.current):7d}/Unknown"
    if style == "compact":
        return f"{count} - {line.elapsed:.0f}s - {rate}{metrics}"
    color = style == "color"
    bold, reset = (_BOLD, _RESET) if color else ("", "")
    text = f"{bold}{count}{reset}"
    if known:
        done = int(width * min(line.current / line.target, 1.0))
        green, grey = (_GREEN, _GREY) if color else ("", "")
        text += " " + (f"{green}{_BAR_CHAR * done}{reset}" if done else "")
        text += f"{grey}{_BAR_CHAR * (width - done)}{reset}"
    when = _format_duration(line.eta) if line.eta is not None else f"{line.elapsed:.0f}s"
    return f"{text} {bold}{when}{reset} {rate}{metrics}"


class Progbar:
    """A progress bar written to `sys.stdout`, as `keras.utils.Progbar`.

    Unless named in `stateful_metrics`, metric values are averaged over the steps (weighted by
    the steps each update covers); with `stateless_metrics` given, only those are averaged.

    Args:
        target: Total number of steps, or `None` if unknown.
        width: Width of the bar in characters.
        verbose: 0 (silent), 1 (live bar; one final line when not on a terminal) or 2 (one
            compact line when finished).
        interval: Minimum seconds between two redraws of the live bar.
        stateful_metrics: Names of metrics shown as given, not averaged.
        stateless_metrics: Names of the only metrics to average.
        unit_name: What a step is called in the rate (`"step"` gives `5ms/step`).
        dynamic_display: Force (`True`) or forbid (`False`) in-place redraws; by default they are
            used when `sys.stdout` is a terminal or a Jupyter output stream.

    Raises:
        ValueError: if both `stateful_metrics` and `stateless_metrics` are given.

    Example:
        >>> bar = Progbar(target=2, verbose=2, stateful_metrics=["loss"])
        >>> bar.update(1, [("loss", 0.5)])
        >>> bar.update(2, [("loss", 0.25)])  # doctest: +ELLIPSIS
        2/2 - 0s - ...s/step - loss: 0.2500
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name="step", dynamic_display=None):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: both stateful_metrics and stateless_metrics were given. Expected at "
                f"most one of them. Received: stateful_metrics={sorted(stateful_metrics)!r}, "
                f"stateless_metrics={sorted(stateless_metrics)!r}. Pass only the names to keep "
                "as they are (stateful_metrics) or only those to average (stateless_metrics)."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self._stateful = None if stateful_metrics is None else set(stateful_metrics)
        self._stateless = None if stateless_metrics is None else set(stateless_metrics)
        if self._stateful is None and self._stateless is None:
            self._stateful = set()
        if dynamic_display is None:
            dynamic_display = is_dynamic_stream(sys.stdout)
        self.dynamic_display = dynamic_display
        self._values = {}  # name -> [weighted sum, weight]
        self._seen_so_far = 0
        self._start = _clock()
        self._last_update = None
        self._time_after_first_step = None
        self._prev_width = 0

    def _is_averaged(self, name) -> bool:
        if self._stateful is not None:
            return name not in self._stateful
        return name in self._stateless

    def _record(self, current, values, finalize):
        for name, value in values or []:
            if not self._is_averaged(name) or finalize:
                self._values[name] = [value, 1]
                continue
            weight = max(current - self._seen_so_far, 1)
            total = self._values.setdefault(name, [0.0, 0])
            total[0] = total[0] + value * weight
            total[1] += weight
        self._seen_so_far = current

    def _time_per_unit(self, current, now) -> float:
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit

    def progress_line(self, current, finalize, now) -> ProgressLine:
        """The current state as a `ProgressLine` (updates the step-time estimate)."""
        per_unit = self._time_per_unit(current, now)
        known = self.target is not None and self.target > 0
        metrics = [(name, total / max(1, count)) for name, (total, count) in self._values.items()]
        return ProgressLine(
            current=current, target=self.target, elapsed=now - self._start,
            eta=per_unit * (self.target - current) if known and not finalize else None,
            time_per_unit=per_unit, unit_name=self.unit_name, metrics=metrics,
            finalized=finalize)

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step `current`.

        Args:
            current: Index of the current step (steps done so far).
            values: List of `(name, value)` pairs for the step.
            finalize: Whether this is the last update; by default `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values, finalize)
        now = _clock()
        if self.verbose == 1 and self.dynamic_display:
            recent = self._last_update is not None and now - self._last_update < self.interval
            if recent and not finalize:
                self._time_per_unit(current, now)
                return
            line = self.progress_line(current, finalize, now)
            text = render_line(line, "color", self.width)
            visible = len(render_line(line, "plain", self.width))
            padding = " " * max(self._prev_width - visible, 0)
            self._write("\r" + text + padding + ("\n" if finalize else ""))
            self._prev_width = visible
        elif self.verbose == 1 and finalize:
            self._write(render_line(self.progress_line(current, True, now), "plain", self.width)
                        + "\n")
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            self._write(render_line(self.progress_line(current, True, now), "compact") + "\n")
        else:
            self._time_per_unit(current, now)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    @staticmethod
    def _write(text: str) -> None:
        if not is_interactive_logging_enabled():  # Keras sends it to logging instead
            message = re.sub(r"\x1b\[[0-9;]*m|\r", "", text).strip("\n")
            if message.strip():
                logging.getLogger("kernelkit").info(message)
            return
        stream = sys.stdout
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.write(text.replace(_BAR_CHAR, "="))
        stream.flush()
