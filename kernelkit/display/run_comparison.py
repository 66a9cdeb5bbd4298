"""`compare`: several training runs' curves overlaid, with a best-epoch table.

Runs come as `History` objects, their `.history` dicts, or CSV logs written by `CSVLogger`.
One panel per metric (training solid, validation dashed, one colour per run), then a table of
each run's best epoch (lowest `val_loss`, else lowest `loss`) with all its values.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
import os

__all__ = ["RunComparison", "compare"]

_COLORS = ("#3949ab", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41",
           "#546e7a")


def _read_csv(path) -> dict:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(
            f"compare: the CSV log {str(path)!r} has no rows. Expected a file written by "
            "CSVLogger (a header, then one row per epoch). Received: an empty log.")
    out = {}
    for key in rows[0]:
        if key == "epoch":
            continue
        try:
            out[key] = [float(row[key]) for row in rows]
        except (TypeError, ValueError):
            continue  # a non-numeric column
    return out


def _as_history(run, name: str) -> dict:
    if hasattr(run, "history") and isinstance(run.history, dict):
        return dict(run.history)
    if isinstance(run, dict):
        return dict(run)
    if isinstance(run, str | os.PathLike):
        return _read_csv(run)
    raise TypeError(
        f"compare: run {name!r} is a {type(run).__name__}. Expected a History, a dict of "
        "per-epoch lists, or the path of a CSVLogger file. Received: "
        f"{type(run).__name__}. Pass fit()'s return value, its .history, or a CSV path.")


def _best_epoch(history: dict) -> int | None:
    key = "val_loss" if "val_loss" in history else "loss" if "loss" in history else None
    if key is None:
        return None
    values = [(v, i) for i, v in enumerate(history[key]) if math.isfinite(v)]
    return min(values)[1] if values else None


class RunComparison:
    """What `compare` returns: `png()`, `table()` (rows), a notebook view and a text form.

    Attributes:
        runs: `{name: {metric: [per-epoch values]}}`.
        metrics: The metrics drawn, one panel each.
    """

    def __init__(self, runs: dict, metrics: list):
        self.runs, self.metrics = runs, metrics

    def table(self) -> list[dict]:
        """One row per run: its name, best epoch (1-based) and every value at that epoch."""
        rows = []
        for name, history in self.runs.items():
            best = _best_epoch(history)
            row = {"run": name, "best epoch": None if best is None else best + 1}
            for key, values in history.items():
                row[key] = values[best] if best is not None and best < len(values) else None
            rows.append(row)
        return rows

    def png(self) -> bytes:
        """The overlaid curves as PNG bytes (matplotlib's object-oriented API, Agg)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D

        n = max(len(self.metrics), 1)
        columns = min(n, 3)
        rows = -(-n // columns)
        fig = Figure(figsize=(3.9 * columns + 1.6, 2.9 * rows), dpi=100)
        FigureCanvasAgg(fig)
        for index, metric in enumerate(self.metrics):
            ax = fig.add_subplot(rows, columns, index + 1)
            for run_index, history in enumerate(self.runs.values()):
                color = _COLORS[run_index % len(_COLORS)]
                for key, style in ((metric, "-"), (f"val_{metric}", "--")):
                    if key in history:
                        ax.plot(range(1, len(history[key]) + 1), history[key], style,
                                color=color, linewidth=1.6)
            ax.set_title(metric, fontsize=10)
            ax.set_xlabel("epoch", fontsize=9)
            ax.grid(True, alpha=0.3)
        handles = [Line2D([], [], color=_COLORS[i % len(_COLORS)], linewidth=2, label=name)
                   for i, name in enumerate(self.runs)]
        handles += [Line2D([], [], color="#555", linestyle="-", label="training"),
                    Line2D([], [], color="#555", linestyle="--", label="validation")]
        fig.legend(handles=handles, loc="center right", frameon=False, fontsize=9)
        fig.tight_layout(rect=(0, 0, 1 - 1.5 / (3.9 * columns + 1.6), 1))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def _columns(self) -> list[str]:
        keys = []
        for history in self.runs.values():
            keys += [k for k in history if k not in keys]
        return ["run", "best epoch", *keys]

    def __repr__(self) -> str:
        columns = self._columns()
        cells = [columns] + [[_cell(row.get(c)) for c in columns] for row in self.table()]
        widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
        return "\n".join("  ".join(v.ljust(w) if i == 0 else v.rjust(w)
                                    for i, (v, w) in enumerate(zip(r, widths))).rstrip()
                         for r in cells)

    def _repr_html_(self) -> str:
        columns = self._columns()
        head = "".join(f"<th style='padding:1px 8px'>{html.escape(c)}</th>" for c in columns)
        body = "".join("<tr>" + "".join(f"<td style='padding:1px 8px'>{html.escape(_cell(r.get(c)))}"
                                        "</td>" for c in columns) + "</tr>" for r in self.table())
        image = base64.b64encode(self.png()).decode("ascii")
        return (f"<div class='kk-compare'><img alt='run comparison' "
                f"src='data:image/png;base64,{image}'/><table style='border-collapse:collapse'>"
                f"<tr>{head}</tr>{body}</table></div>")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def compare(histories_or_dict, metrics=None) -> RunComparison:
    """Overlays the curves of several runs and tabulates each run's best epoch.

    Args:
        histories_or_dict: A dict `{run name: History | history dict | CSV path}`, or a list
            of those (named `run 1`, `run 2`, ...).
        metrics: The metrics to draw (default: every training metric the runs logged).

    Returns:
        A `RunComparison`; in a notebook it shows the plot and the table.

    Example:
        >>> view = compare({"a": {"loss": [1.0, 0.5]}, "b": {"loss": [0.9, 0.7, 0.6]}})
        >>> [(row["run"], row["best epoch"]) for row in view.table()]
        [('a', 2), ('b', 3)]
    """
    if isinstance(histories_or_dict, dict | list | tuple) and not histories_or_dict:
        raise ValueError("compare: expected at least one run. Received: an empty collection.")
    if isinstance(histories_or_dict, dict) and not all(
            isinstance(v, list) for v in histories_or_dict.values()):
        named = dict(histories_or_dict)
    elif isinstance(histories_or_dict, list | tuple):
        named = {f"run {i + 1}": run for i, run in enumerate(histories_or_dict)}
    else:
        raise TypeError(
            "compare: expected a dict {name: run} or a list of runs. Received: "
            f"{type(histories_or_dict).__name__}. Pass e.g. compare({{'adam': h1, 'sgd': h2}}).")
    runs = {str(name): _as_history(run, str(name)) for name, run in named.items()}
    if metrics is None:
        metrics = []
        for history in runs.values():
            metrics += [k for k in history if not k.startswith("val_") and k not in metrics]
            metrics += [k[4:] for k in history if k.startswith("val_") and k[4:] not in metrics
                        and k[4:] not in history]
    metrics = sorted(metrics, key=lambda m: m != "loss")  # the loss panel first
    return RunComparison(runs, list(metrics))
