"""The summary table as static HTML for notebooks: nested models fold into `<details>`.

The HTML has no scripts, no ids and only inline styles whose colours come from the page (text
colour inherited, grey rules at partial opacity), so it reads the same in light and dark themes
and in saved notebooks rendered without a kernel (nbconvert, GitHub).
"""

from __future__ import annotations

from html import escape

from kernelkit.display.summary import SummaryRow, SummaryTable, readable_size, summary_table

__all__ = ["render_html", "summary_html", "unbuilt_html"]

_TABLE = ("border-collapse:collapse;font-size:13px;line-height:1.35;color:inherit;"
          "background:transparent;margin:2px 0 4px 0;")
_CELL = "padding:3px 10px;border-bottom:1px solid rgba(127,127,127,0.25);vertical-align:top;"
_HEAD = ("padding:4px 10px;border-bottom:2px solid rgba(127,127,127,0.55);text-align:left;"
         "font-weight:600;background:rgba(127,127,127,0.10);white-space:nowrap;")
_MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;"
_MUTED = "opacity:0.7;"


def _columns(table: SummaryTable, show_trainable, show_bytes, show_dtype) -> list[str]:
    columns = ["Layer (type)", "Output Shape", "Param #"]
    if table.functional:
        columns.append("Connected to")
    if show_trainable:
        columns.append("Trainable")
    if show_bytes:
        columns.append("Param bytes")
    if show_dtype:
        columns.append("dtype")
    return columns


def _cells(row: SummaryRow, columns) -> list[str]:
    name = (f"<span style='font-weight:600'>{escape(row.name)}</span> "
            f"<span style='{_MUTED}'>({escape(row.class_name)})</span>")
    values = {
        "Layer (type)": name,
        "Output Shape": f"<span style='{_MONO}'>{escape(row.output_shape)}</span>",
        "Param #": f"{row.params:,}" if row.built else f"0 <span style='{_MUTED}'>(unbuilt)</span>",
        "Connected to": "<br>".join(f"<span style='{_MONO}'>{escape(c)}</span>"
                                    for c in row.connected_to),
        "Trainable": "" if row.trainable is None else ("Y" if row.trainable else "N"),
        "Param bytes": readable_size(row.param_bytes) if row.params else "",
        "dtype": escape(row.dtype),
    }
    return [values[c] for c in columns]


def _align(column: str) -> str:
    return "text-align:right;" if column in ("Param #", "Param bytes") else "text-align:left;"


def _rows_html(rows, columns, expand_nested) -> list[str]:
    out = []
    for row in rows:
        cells = "".join(f"<td style='{_CELL}{_align(c)}'>{v}</td>"
                        for c, v in zip(columns, _cells(row, columns)))
        out.append(f"<tr>{cells}</tr>")
        if row.children:
            out.append(_nested_html(row, columns, expand_nested))
    return out


def _nested_html(row: SummaryRow, columns, expand_nested) -> str:
    # the inner model's own connections are not shown: they would refer to inner names
    inner = [c for c in columns if c != "Connected to"]
    head = "".join(f"<th style='{_HEAD}{_align(c)}'>{c}</th>" for c in inner)
    body = "".join(_rows_html(row.children, inner, expand_nested))
    opened = " open" if expand_nested else ""
    count = len(row.children)
    return (
        f"<tr><td colspan='{len(columns)}' style='padding:0 0 4px 22px;"
        "border-bottom:1px solid rgba(127,127,127,0.25);'>"
        f"<details{opened}><summary style='cursor:pointer;padding:3px 0;{_MUTED}'>"
        f"layers of {escape(row.name)} ({count} layer{'s' if count != 1 else ''})</summary>"
        f"<table style='{_TABLE}width:100%;'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></details></td></tr>"
    )


def _colgroup(columns, line_length, positions) -> tuple[str, str]:
    """Column widths from Keras's `positions` and a table width from `line_length`."""
    if line_length is None and positions is None:
        return "", ""
    width = f"width:{int(line_length)}ch;" if line_length else ""
    if positions is None:
        return width, ""
    ends = [float(p) for p in positions][: len(columns)]
    if ends and ends[-1] > 1:
        ends = [p / float(line_length or ends[-1]) for p in ends]
    starts = [0.0, *ends[:-1]]
    cols = "".join(f"<col style='width:{max(0.0, e - s) * 100:.1f}%'>"
                   for s, e in zip(starts, ends))
    return width + "table-layout:fixed;", f"<colgroup>{cols}</colgroup>"


def _totals_html(table: SummaryTable) -> str:
    items = [("Total params", table.total_params, table.total_bytes),
             ("Trainable params", table.trainable_params, table.trainable_bytes),
             ("Non-trainable params", table.non_trainable_params, table.non_trainable_bytes)]
    if table.optimizer_params is not None:
        items.append(("Optimizer params", table.optimizer_params, table.optimizer_bytes))
    lines = "".join(
        f"<div><span style='font-weight:600'>{label}:</span> {count:,} "
        f"<span style='{_MUTED}'>({readable_size(size)})</span></div>"
        for label, count, size in items)
    return f"<div style='font-size:13px;margin:4px 0 0 2px;'>{lines}</div>"


def render_html(table: SummaryTable, line_length=None, positions=None, show_trainable=False,
                expand_nested=False, show_bytes=False, show_dtype=False) -> str:
    """Renders a `SummaryTable` as static HTML (same rows and totals as `render_text`).

    Nested models' rows (present when the table was computed with `expand_nested=True`) fold
    into a `<details>` section, open when `expand_nested` is True here.
    """
    columns = _columns(table, show_trainable, show_bytes, show_dtype)
    width, colgroup = _colgroup(columns, line_length, positions)
    head = "".join(f"<th style='{_HEAD}{_align(c)}'>{c}</th>" for c in columns)
    body = "".join(_rows_html(table.rows, columns, expand_nested))
    title = (f"<div style='font-size:13px;margin:0 0 2px 2px;'>Model: "
             f"<span style='font-weight:600'>\"{escape(table.model_name)}\"</span> "
             f"<span style='{_MUTED}'>({escape(table.model_class)})</span></div>")
    return (f"<div style='color:inherit;overflow-x:auto;max-width:100%;'>{title}"
            f"<table style='{_TABLE}{width}'>{colgroup}<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{_totals_html(table)}</div>")


def unbuilt_html(model) -> str:
    """A short note for a model that has no weights yet (shown instead of an error)."""
    layers = getattr(model, "layers", None) or []
    listed = ", ".join(escape(layer.name) for layer in layers[:8])
    more = f" and {len(layers) - 8} more" if len(layers) > 8 else ""
    known = f" Layers so far: {listed}{more}." if layers else ""
    return (f"<div style='font-size:13px;color:inherit;'>Model <span style='font-weight:600'>"
            f"\"{escape(model.name)}\"</span> <span style='{_MUTED}'>"
            f"({escape(type(model).__name__)})</span> is not built yet, so its summary is not "
            f"available.{known} Build it with <code>model.build(input_shape)</code>, by calling it "
            "on a batch of data, or by starting it with an <code>Input</code>.</div>")


def summary_html(model, line_length=None, positions=None, expand_nested=False,
                 show_trainable=False, layer_range=None, show_bytes=False,
                 show_dtype=False) -> str:
    """The HTML summary of a built model (an explanatory note if it is not built).

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> "<details" in summary_html(model), "Total params" in summary_html(model)
        (False, True)
    """
    if not model.built:
        return unbuilt_html(model)
    table = summary_table(model, expand_nested=True, layer_range=layer_range)
    return render_html(table, line_length=line_length, positions=positions,
                       show_trainable=show_trainable, expand_nested=expand_nested,
                       show_bytes=show_bytes, show_dtype=show_dtype)
