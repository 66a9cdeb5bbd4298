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
        return self._figure.axes

    def draw(self) -> None:
        """Redraws every panel from the recorded values."""
        names = list(self.series) or ["loss"]
        axes = self._axes(names)
        for ax, name in zip(axes, names + [None] * len(axes)):
            ax.clear()
            ax.set_visible(name is not None)
            if name is None:
                continue
            self._draw_panel(ax, name)
        self._figure.tight_layout(pad=0.6)

    def _draw_panel(self, ax, name) -> None:
        lines = self.series.get(name, {"train": [], "val": []})
        train = lines["train"] + self.partial.get(name, [])
        for points, color, label, style in ((train, _TRAIN, "train", "-"),
                                            (lines["val"], _VAL, "validation", "-")):
            if points:
                xs, ys = zip(*points)
                ax.plot(xs, ys, style, color=color, label=label, linewidth=1.6,
                        marker="o" if len(points) < 30 else None, markersize=3)
        ax.set_title(name, fontsize=10, color="#222222")
        ax.set_xlabel("epoch", fontsize=9, color="#333333")
        ax.set_ylabel(name, fontsize=9, color="#333333")
        ax.tick_params(labelsize=8, colors="#333333")
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        xs = [x for x, _ in train + lines["val"]]
        if xs and max(xs) - min(xs) < 1:  # one point or part of an epoch: show a whole epoch
            right = math.ceil(max(xs))
            ax.set_xlim(right - 1.05, right + 0.05)
        if self.log_scale and all(y > 0 for _, y in train + lines["val"]):
            ax.set_yscale("log")
        if train or lines["val"]:
            ax.legend(fontsize=8, loc="best", frameon=False)

    def to_png(self) -> bytes:
        """Draws and returns the figure as PNG bytes."""
        self.draw()
        buffer = io.BytesIO()
        self._canvas.print_png(buffer)
        return buffer.getvalue()


def _is_number(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
