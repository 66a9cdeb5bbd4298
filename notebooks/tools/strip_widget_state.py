"""Removes ipywidgets state from executed notebooks, keeping every static output.

A saved notebook should show what a reader on GitHub can render: HTML, images and text. Widget
state (`metadata.widgets`) and widget views (`application/vnd.jupyter.widget-*` outputs) only
render with a live kernel, so they are dropped. kernelkit's live training view replaces itself by
static HTML and a PNG when training ends, so nothing a reader needs is lost.

Usage: python notebooks/tools/strip_widget_state.py NOTEBOOK.ipynb [...]
"""

from __future__ import annotations

import sys

import nbformat

WIDGET_MIME_PREFIX = "application/vnd.jupyter.widget"


def strip_widget_state(nb) -> int:
    """Strips widget state from `nb` in place; returns how many items were removed."""
    removed = 0
    if nb.metadata.pop("widgets", None) is not None:
        removed += 1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None:
                for mime in [m for m in data if m.startswith(WIDGET_MIME_PREFIX)]:
                    del data[mime]
                    removed += 1
                # a widget view with nothing else but its "VBox(...)" repr: drop it whole
                if not data or set(data) == {"text/plain"} and output.get("output_type") == (
                        "display_data") and data["text/plain"].startswith(("VBox(", "HBox(")):
                    removed += 1
                    continue
            kept.append(output)
        cell["outputs"] = kept
    return removed


def main(paths: list[str]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        removed = strip_widget_state(nb)
        nbformat.write(nb, path)
        print(f"{path}: removed {removed} widget item(s)")


if __name__ == "__main__":
    main(sys.argv[1:])
