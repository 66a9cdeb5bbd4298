"""A `History` in a notebook: the final value of each metric beside a sparkline of its curve."""

from __future__ import annotations

import html
import math

__all__ = ["history_html", "sparkline_svg"]

_CELL = "padding: 1px 10px; text-align: right; vertical-align: middle"


def sparkline_svg(values, width: int = 120, height: int = 24, color: str = "#3949ab") -> str:
    """A small inline SVG polyline of `values` (non-finite values are skipped); no scripts."""
    points = [(i, float(v)) for i, v in enumerate(values)
              if isinstance(v, int | float) and math.isfinite(v)]
    if not points:
        return ""
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    last = max(len(values) - 1, 1)
    coords = " ".join(f"{2 + (width - 4) * i / last:.1f},"
                      f"{height - 2 - (height - 4) * (v - low) / span:.1f}" for i, v in points)
    x_end, y_end = coords.split(" ")[-1].split(",")
    return (f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="curve"><polyline fill="none" stroke="{color}" '
            f'stroke-width="1.5" points="{coords}"/><circle cx="{x_end}" cy="{y_end}" r="2" '
            f'fill="{color}"/></svg>')


def _format(value) -> str:
    if isinstance(value, int | float) and math.isfinite(value):
        return f"{value:.4g}"
    return html.escape(str(value))


def history_html(history: dict) -> str:
    """The notebook view of `History.history`: one row per metric (final value, best value and
    its epoch, the curve as a sparkline); validation metrics beside their training metric."""
    if not history:
        return "<div class='kk-history'><em>History: no epochs recorded yet.</em></div>"
    epochs = max(len(v) for v in history.values())
    names = [k for k in history if not k.startswith("val_")]
    names += [k for k in history if k.startswith("val_") and k[4:] not in history]
    rows = []
    for name in names:
        for key in (name, f"val_{name}"):
            if key not in history:
                continue
            values = history[key]
            finite = [(v, i) for i, v in enumerate(values)
                      if isinstance(v, int | float) and math.isfinite(v)]
            lower_is_better = "loss" in key or "error" in key
            best = (min if lower_is_better else max)(finite) if finite else (float("nan"), -1)
            color = "#e53935" if key.startswith("val_") else "#3949ab"
            rows.append(
                f"<tr><td style='{_CELL};text-align:left'>{html.escape(key)}</td>"
                f"<td style='{_CELL}'>{_format(values[-1]) if values else ''}</td>"
                f"<td style='{_CELL}'>{_format(best[0])} (epoch {best[1] + 1})</td>"
                f"<td style='{_CELL}'>{sparkline_svg(values, color=color)}</td></tr>")
    head = "".join(f"<th style='{_CELL};text-align:{align}'>{title}</th>" for title, align in
                   (("metric", "left"), ("final", "right"), ("best", "right"),
                    ("curve", "left")))
    return (f"<div class='kk-history'><div><b>History</b>: {epochs} epoch"
            f"{'s' if epochs != 1 else ''}</div><table style='border-collapse:collapse'>"
            f"<tr>{head}</tr>{''.join(rows)}</table></div>")
