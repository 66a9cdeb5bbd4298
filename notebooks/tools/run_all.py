"""Executes the tutorial notebooks in place (with nbconvert) and strips their widget state.

Each notebook runs top to bottom in a fresh kernel, from the `notebooks/` folder; its outputs are
saved (so GitHub and the docs show them) without widget state and without per-cell timestamps,
so re-running changes only what the code prints. The check cells (tagged `remove-cell`: hidden in
the docs, collapsed in JupyterLab) are saved without an execution count, and the visible cells
are numbered 1, 2, 3, ..., so the rendered guides show no gaps where the checks were.

Usage: python notebooks/tools/run_all.py [NOTEBOOK.ipynb ...]   (default: every notebook)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

sys.path.insert(0, str(Path(__file__).parent))
from strip_widget_state import strip_widget_state  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1]
BUDGET_S = 60.0  # each notebook should run in under a minute on a 2-core CPU
CHECK_TAG = "remove-cell"


def number_visible_cells(nb) -> None:
    """Numbers the visible code cells (and their results) 1, 2, ...; check cells get none."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        hidden = CHECK_TAG in cell.metadata.get("tags", [])
        if not hidden:
            count += 1
        cell.execution_count = None if hidden else count
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = None if hidden else count


def run(path: Path) -> float:
    """Executes `path` in place; returns the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    executor = ExecutePreprocessor(timeout=600, kernel_name="python3", record_timing=False)
    start = time.perf_counter()
    executor.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    seconds = time.perf_counter() - start
    strip_widget_state(nb)
    number_visible_cells(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, path)
    return seconds


def main(args: list[str]) -> None:
    paths = [Path(a).resolve() for a in args] or sorted(NOTEBOOKS.glob("*.ipynb"))
    slow = []
    for path in paths:
        print(f"Executing {path.name} ...", flush=True)
        seconds = run(path)
        print(f"  {path.name}: {seconds:.1f} s", flush=True)
        if seconds > BUDGET_S:
            slow.append(path.name)
    if slow:
        print(f"Slower than {BUDGET_S:.0f} s: {', '.join(slow)}")


if __name__ == "__main__":
    main(sys.argv[1:])
