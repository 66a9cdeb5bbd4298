"""The training tools' notebook views in JupyterLab + Chromium (Playwright).

Runs tests/browser/notebook/training_tools.ipynb cell by cell: the learning-rate finder's plot,
`LiveProgress(layer_stats=True)`'s layer-health panel (a row per Dense layer), `compare`'s image
and best-epoch table, and a `History`; no cell shows an error, and a full-page screenshot is
saved (also under build/browser/training_tools_views/).
"""

from __future__ import annotations

import re
import shutil

NOTEBOOK = "training_tools.ipynb"
CELLS, SETUP, FINDER, FIT, COMPARE, HISTORY = 6, 1, 2, 3, 4, 5
TIMEOUT = 120  # seconds: kernel start, JAX import and compilation on a busy machine


def _decoded(image) -> bool:
    return image.evaluate("i => i.complete && i.naturalWidth > 0")


def test_training_tools_views_render_in_jupyterlab(lab_server, notebook_ui, tmp_path):
    ui = notebook_ui
    expect = ui.expect
    ui.open(lab_server.lab_url(NOTEBOOK), CELLS, TIMEOUT)
    for index in (SETUP, FINDER, FIT, COMPARE, HISTORY):
        ui.run_cell(index, TIMEOUT)
    expect(ui.output(SETUP)).to_contain_text("ready")

    finder = ui.output(FINDER).locator(".kk-lr-finder img[alt='learning-rate finder']")
    expect(finder).to_have_count(1)
    assert _decoded(finder), "the finder's plot did not decode"

    health = ui.output(FIT).filter(has_text="Layer health (strips")
    expect(health).to_have_count(1)
    rows = health.locator("table", has_text="status").last.locator("tbody tr")
    for name in ("dense_in", "dense_out"):
        expect(rows.filter(has_text=name)).to_have_count(1)

    compare = ui.output(COMPARE).locator(".kk-compare")
    expect(compare).to_have_count(1)
    image = compare.locator("img[alt='run comparison']")
    expect(image).to_have_count(1)
    assert _decoded(image), "the comparison image did not decode"
    table = compare.locator("table")
    for run in ("a", "b"):
        expect(table.locator("td", has_text=re.compile(rf"^{run}$")).first).to_be_visible()

    expect(ui.output(HISTORY).locator(".kk-history")).to_contain_text("3 epochs")

    errors = ui.page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    expect(errors).to_have_count(0)
    stderr = ui.stderr_text()
    assert "Traceback" not in stderr and "Error" not in stderr, f"the kernel wrote:\n{stderr}"

    shot = ui.artifacts / "page.png"
    ui.page.mouse.move(1, 500)
    ui.page.screenshot(path=str(shot), full_page=True)
    saved = shutil.copy(shot, tmp_path / "page.png")
    with open(saved, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "page.png").stat().st_size > 10_000
