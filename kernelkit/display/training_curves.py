"""`TrainingCurves`: loss and metric curves drawn into one reused matplotlib figure (Agg, PNG)."""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = ["TrainingCurves"]

_TRAIN, _VAL = "#1f77b4", "#ff7f0e"


class TrainingCurves:
    """Train and validation values per metric, one panel per metric name.

    The figure is created once and redrawn in place (no pyplot, no global state), so redraws
    do not leak figures and work from any thread.

    Args:
        log_scale: Whether the y axes are logarithmic (for positive values).
        max_columns: Panels per row.

    Example:
        >>> curves = TrainingCurves()
        >>> curves.add_epoch(1, {"loss": 0.9, "val_loss": 1.0})
        >>> curves.add_epoch(2, {"loss": 0.5, "val_loss": 0.7})
        >>> curves.to_png()[:4]
        b'\\x89PNG'
    """

    def __init__(self, log_scale=False, max_columns=3):
        self.log_scale = log_scale
        self.max_columns = max_columns
        self.series: dict[str, dict[str, list]] = {}
        self.partial: dict[str, list] = {}  # running values inside the current epoch
        self._figure = None
        self._canvas = None
        self._layout = None
        self._panels = {}

    def _line(self, name: str, kind: str) -> list:
        return self.series.setdefault(name, {"train": [], "val": []})[kind]

    def add_epoch(self, epoch: int, logs: dict) -> None:
        """Adds the values of a finished (1-based) epoch; `val_` keys go to validation."""
        for key, value in logs.items():
            if not _is_number(value):
                continue
            if key.startswith("val_"):
                self._line(key[4:], "val").append((epoch, float(value)))
            else:
                self._line(key, "train").append((epoch, float(value)))
        self.partial = {}

    def add_partial(self, position: float, logs: dict) -> None:
        """Adds running train values at a fractional epoch `position` (inside an epoch)."""
        for key, value in logs.items():
            if _is_number(value) and not key.startswith("val_"):
                self._line(key, "train")
                self.partial.setdefault(key, []).append((position, float(value)))

    def _axes(self, names):
        columns = min(self.max_columns, len(names))
        rows = math.ceil(len(names) / columns)
        if self._figure is None:
            self._figure = Figure(dpi=80, facecolor="white")
            self._canvas = FigureCanvasAgg(self._figure)
        if self._layout != (rows, columns):
            self._figure.clear()
            self._figure.set_size_inches(3.9 * columns, 2.7 * rows)
            self._figure.subplots(rows, columns, squeeze=False)
            self._layout = (rows, columns)
            self._panels = {}
        return self._figure.axes

    def snapshot(self):
        """A copy of the recorded values, to draw in another thread while more arrive."""
        return ({name: {kind: list(points) for kind, points in lines.items()}
                 for name, lines in self.series.items()},
                {name: list(points) for name, points in self.partial.items()})

    def draw(self, snapshot=None) -> None:
        """Redraws every panel from the recorded values (or from a `snapshot()` of them).

        The axes and their lines are made once per panel and then only given new data: a redraw
        that cleared and rebuilt them cost about twice as much (new ticks, labels and layout).
        """
        series, partial = snapshot if snapshot is not None else (self.series, self.partial)
        names = list(series) or ["loss"]
        axes = self._axes(names)
        for ax, name in zip(axes, names + [None] * len(axes)):
            ax.set_visible(name is not None)
            if name is None:
                continue
            panel = self._panels.get(name)
            if panel is None or panel.ax is not ax:
                panel = self._panels[name] = _Panel(ax, name)
            lines = series.get(name, {"train": [], "val": []})
            train = lines["train"] + partial.get(name, [])
            panel.update(train, lines["val"], self.log_scale)
        self._figure.tight_layout(pad=0.6)

    def to_png(self, snapshot=None) -> bytes:
        """Draws and returns the figure as PNG bytes (one thread at a time)."""
        self.draw(snapshot)
        buffer = io.BytesIO()
        self._canvas.print_png(buffer)
        return buffer.getvalue()


class _Panel:
    """One metric's axes: a train and a validation line whose data is replaced per redraw."""

    def __init__(self, ax, name):
        ax.clear()
        self.ax = ax
        self.lines = [ax.plot([], [], "-", color=color, label=label, linewidth=1.6,
                              markersize=3)[0]
                      for color, label in ((_TRAIN, "train"), (_VAL, "validation"))]
        self.shown = None  # which lines the legend lists
        ax.set_title(name, fontsize=10, color="#222222")
        ax.set_xlabel("epoch", fontsize=9, color="#333333")
        ax.set_ylabel(name, fontsize=9, color="#333333")
        ax.tick_params(which="both", labelsize=8, colors="#333333")
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))

    def update(self, train, val, log_scale) -> None:
        ax = self.ax
        for line, points in zip(self.lines, (train, val)):
            xs, ys = zip(*points) if points else ((), ())
            line.set_data(xs, ys)
            line.set_visible(bool(points))
            line.set_marker("o" if len(points) < 30 else "None")
        everything = train + val
        positive = bool(everything) and all(y > 0 for _, y in everything)
        scale = "log" if log_scale and positive else "linear"
        if ax.get_yscale() != scale:  # setting it resets the axis's locators and formatters
            ax.set_yscale(scale)
        ax.relim(visible_only=True)
        ax.set_autoscalex_on(True)
        ax.autoscale_view()
        xs = [x for x, _ in everything]
        if xs and max(xs) - min(xs) < 1:  # one point or part of an epoch: show a whole epoch
            right = math.ceil(max(xs))
            ax.set_xlim(right - 1.05, right + 0.05)
        shown = tuple(line.get_visible() for line in self.lines)
        if shown != self.shown:
            self.shown = shown
            legend = ax.get_legend()
            if legend is not None:
                legend.remove()
            if any(shown):
                ax.legend(handles=[ln for ln in self.lines if ln.get_visible()], fontsize=8,
                          loc="best", frameon=False)


def _is_number(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
