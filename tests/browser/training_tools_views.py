"""The training tools' notebook views, run and checked in a browser: shared by the JupyterLab and
Notebook 7 tests (tests/browser/notebook/training_tools.ipynb holds the cells).

`run_and_check` runs the notebook's cells one at a time, checks what each view shows (the
learning-rate finder's plot and suggestion, the layer-health panel of
`LiveProgress(layer_stats=True)` with a row per Dense layer, `compare`'s image and best-epoch
table naming both runs, a `History`), that no cell wrote an error, and saves one screenshot per
view's cell (`1-lr-finder.png` ... `4-history.png` in the test's build/browser/ folder).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

NOTEBOOK = "training_tools.ipynb"
CELLS, SETUP, FINDER, FIT, COMPARE, HISTORY = 6, 1, 2, 3, 4, 5
TIMEOUT = 120  # seconds: kernel start, JAX import and compilation on a busy machine
SHOTS = {FINDER: "1-lr-finder", FIT: "2-layer-health", COMPARE: "3-compare", HISTORY: "4-history"}
LAYERS = ("dense_in", "dense_out")
MARGIN = 200  # px: room for the notebook's toolbar and menus above its scrolling panel
# the first box (or the window) that hides part of the element, as "tag.class" (None: none does)
CLIPPED_BY = """e => {
  const r = e.getBoundingClientRect();
  const inside = b => r.top >= b.top - 1 && r.bottom <= b.bottom + 1
                      && r.left >= b.left - 1 && r.right <= b.right + 1;
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (/(auto|scroll|hidden|clip)/.test(s.overflowX + s.overflowY)
        && !inside(a.getBoundingClientRect())) return a.tagName + '.' + a.className;
  }
  return inside({top: 0, left: 0, bottom: innerHeight, right: innerWidth}) ? null : 'the window';
}"""


def run_and_check(ui, url: str) -> dict[str, Path]:
    """Opens `url` (the notebook's page), runs its cells and checks each view.

    Args:
        ui: The `NotebookUI` (tests/browser/conftest.py) of the page.
        url: The notebook's address in JupyterLab or Notebook 7.

    Returns:
        The screenshots, by name: one per view's cell, each showing the whole cell.
    """
    expect = ui.expect
    ui.open(url, CELLS, TIMEOUT)
    for index in (SETUP, FINDER, FIT, COMPARE, HISTORY):
        ui.run_cell(index, TIMEOUT)
    expect(ui.output(SETUP)).to_contain_text("ready")
    _check_finder(ui)
    _check_health(ui)
    _check_compare(ui)
    expect(ui.output(HISTORY).locator(".kk-history")).to_contain_text("3 epochs")

    errors = ui.page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
    )
    expect(errors).to_have_count(0)
    stderr = ui.stderr_text()
    assert "Traceback" not in stderr and "Error" not in stderr, f"the kernel wrote:\n{stderr}"
    return {name: _shot_whole(ui, index, name) for index, name in SHOTS.items()}


def _check_finder(ui) -> None:
    view = ui.output(FINDER).locator(".kk-lr-finder")
    image = view.locator("img[alt='learning-rate finder']")
    ui.expect(image).to_have_count(1)
    assert _decoded(image), "the finder's plot did not decode"
    # the suggested rate is a number (drawn on the plot as the dashed line), not "n/a"
    ui.expect(view).to_contain_text(re.compile(r"steepest descent of the smoothed loss\): \d"))


def _check_health(ui) -> None:
    health = ui.output(FIT).filter(has_text="Layer health (strips")
    ui.expect(health).to_have_count(1)
    rows = health.locator("table", has_text="status").last.locator("tbody tr")
    ui.expect(rows).to_have_count(len(LAYERS))
    for name in LAYERS:
        ui.expect(rows.filter(has_text=name)).to_have_count(1)


def _check_compare(ui) -> None:
    compare = ui.output(COMPARE).locator(".kk-compare")
    ui.expect(compare).to_have_count(1)
    image = compare.locator("img[alt='run comparison']")
    ui.expect(image).to_have_count(1)
    assert _decoded(image), "the comparison image did not decode"
    table = compare.locator("table")
    for run in ("a", "b"):
        ui.expect(table.locator("td", has_text=re.compile(rf"^{run}$")).first).to_be_visible()


def _decoded(image) -> bool:
    return image.evaluate("i => i.complete && i.naturalWidth > 0")


def _shot_whole(ui, index: int, name: str) -> Path:
    """Screenshots cell `index` whole: the notebook scrolls inside its own panel, so the page is
    made taller for a cell taller than the panel, and the cell is checked to lie inside every
    box that clips it (Playwright pictures the page's pixels over the cell, clipped or not)."""
    page, cell = ui.page, ui.cell(index)
    viewport = page.viewport_size
    needed = int(cell.bounding_box()["height"]) + MARGIN
    if needed > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": needed + MARGIN})
    try:
        deadline = time.monotonic() + 10  # the notebook lays itself out again after a resize
        while True:
            cell.scroll_into_view_if_needed()
            clipped = cell.evaluate(CLIPPED_BY)
            if clipped is None or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert clipped is None, f"cell {index} ({name}) is cut off by {clipped} in its picture"
        path = ui.shot(name, cell)
    finally:
        page.set_viewport_size(viewport)
    with path.open("rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return path
