"""`make demo`: executes the quickstart notebook headless and writes it as HTML.

The committed notebook is left untouched; the executed copy goes to `build/quickstart.html`
(widget state stripped, as in the committed notebooks). Prints the path and the final metrics.

Usage: python notebooks/tools/demo.py [OUTPUT.html]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

sys.path.insert(0, str(Path(__file__).parent))
from strip_widget_state import strip_widget_state  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1]
QUICKSTART = NOTEBOOKS / "01_quickstart.ipynb"
FINAL_LINE = "Final test accuracy:"


def main(args: list[str]) -> None:
    output = Path(args[0] if args else NOTEBOOKS.parent / "build" / "quickstart.html").resolve()
    nb = nbformat.read(QUICKSTART, as_version=4)
    print(f"Executing {QUICKSTART.relative_to(NOTEBOOKS.parent)} ...", flush=True)
    start = time.perf_counter()
    ExecutePreprocessor(timeout=600, kernel_name="python3", record_timing=False).preprocess(
        nb, {"metadata": {"path": str(NOTEBOOKS)}})
    seconds = time.perf_counter() - start
    strip_widget_state(nb)
    html, _ = HTMLExporter().from_notebook_node(nb)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    finals = [line for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.get("output_type") == "stream"
              for line in out.get("text", "").splitlines() if line.startswith(FINAL_LINE)]
    print(f"Executed in {seconds:.1f} s; wrote {output}")
    print(finals[-1] if finals else f"(no '{FINAL_LINE}' line in the notebook's output)")


if __name__ == "__main__":
    main(sys.argv[1:])
