"""Static HTML pieces of the training views: a progress bar, metric tables, the final record.

Only inline styles, no scripts; colours are the page's own text colour plus one blue that reads
on light and dark backgrounds.
"""

from __future__ import annotations

import base64
from html import escape

__all__ = ["format_duration", "format_value", "metrics_table_html", "progress_html",
           "static_record_html"]

_BAR_BG = "rgba(127,127,127,0.22)"
_BAR_FG = "#3b82f6"
_CELL = "padding:2px 10px;border-bottom:1px solid rgba(127,127,127,0.25);text-align:right;"
_HEAD = ("padding:3px 10px;border-bottom:2px solid rgba(127,127,127,0.5);text-align:right;"
         "font-weight:600;background:rgba(127,127,127,0.10);")
_BOX = "font-size:13px;color:inherit;font-family:inherit;line-height:1.4;"


def format_duration(seconds) -> str:
    """`75.2` -> `'1:15'`; `3700` -> `'1:01:40'`; `None` -> `'?'`."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_value(value) -> str:
    """A metric value as 4 significant decimals (scientific when tiny or huge)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return escape(str(value))
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.4f}"


def progress_html(fraction, title: str, details: list[str], metrics: dict) -> str:
    """One progress line: a bar filled to `fraction` (None when unknown), a title, details."""
    width = 100.0 if fraction is None else max(0.0, min(1.0, fraction)) * 100
    fill = _BAR_FG if fraction is not None else "rgba(59,130,246,0.35)"
    parts = [f"<b>{escape(title)}</b>", *map(escape, details)]
    parts += [f"{escape(k)} <b>{format_value(v)}</b>" for k, v in metrics.items()]
    return (f"<div style='{_BOX}'><div style='display:flex;align-items:center;gap:10px;"
            f"flex-wrap:wrap'><div style='width:260px;height:10px;border-radius:5px;"
            f"background:{_BAR_BG};overflow:hidden;flex:none'><div style='width:{width:.1f}%;"
            f"height:100%;background:{fill}'></div></div><span>{' · '.join(parts)}</span>"
            "</div></div>")


def metrics_table_html(columns: list[str], rows: list[list], caption: str = "",
                       bold_rows=(), split_after=None) -> str:
    """A small right-aligned table; the first column is a label.

    Rows whose index is in `bold_rows` are bold (e.g. the best epoch); `split_after` draws a
    heavier rule below that row index (e.g. a best epoch shown above the latest ones).
    """
    head = "".join(f"<th style='{_HEAD}{'text-align:left;' if i == 0 else ''}'>{escape(c)}</th>"
                   for i, c in enumerate(columns))
    body = "".join(_row_html(row, r in bold_rows, r == split_after) for r, row in enumerate(rows))
    title = f"<div style='margin:4px 0 2px 2px;opacity:0.8'>{escape(caption)}</div>" \
        if caption else ""
    return (f"<div style='{_BOX}'>{title}<table style='border-collapse:collapse;"
            f"font-size:12px;color:inherit;background:transparent'><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def _row_html(row: list, bold: bool, split: bool) -> str:
    extra = ("font-weight:700;" if bold else "") + (
        "border-bottom:2px solid rgba(127,127,127,0.6);" if split else "")
    return "<tr>" + "".join(
        f"<td style='{_CELL}{extra}{'text-align:left;' if i == 0 else ''}'>"
        f"{escape(v) if isinstance(v, str) else format_value(v)}</td>"
        for i, v in enumerate(row)) + "</tr>"


def static_record_html(status: str, table_html: str, png: bytes | None) -> str:
    """The finished view kept in the notebook: status line, metrics table, curves image."""
    image = ""
    if png:
        data = base64.b64encode(png).decode("ascii")
        image = (f"<img alt='training curves' style='max-width:100%;height:auto;"
                 f"margin-top:6px' src='data:image/png;base64,{data}'>")
    return (f"<div style='{_BOX}'><div style='margin-bottom:4px'>{escape(status)}</div>"
            f"{table_html}{image}</div>")
