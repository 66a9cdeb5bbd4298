"""The notebook views in Jupyter Notebook 7 + Chromium (the JupyterLab test's notebook).

Notebook 7 renders outputs with JupyterLab's components but its own page, widget manager
set-up and styles, so this checks what a Notebook 7 user sees: the live training widget of
`fit(..., background=True)` renders (Stop button, progress line, curves image) and does not
fall back to its text form; Stop ends training early and the widget becomes the static
record; `model.summary()` is an HTML table and `plot_model` an SVG; no cell wrote an error.
Screenshots, the browser console and the server log go to build/browser/notebook7_live_view/.
Shorter than the JupyterLab test: one live picture is enough here (the redraws are the same
kernel code), so it stays under a minute.
"""

from __future__ import annotations

import re
import time

NOTEBOOK = "live_view.ipynb"
EPOCHS = 2000  # as in the notebook
CELLS, CELL_SETUP, CELL_FIT, CELL_WAIT, CELL_SUMMARY, CELL_PLOT = 6, 1, 2, 3, 4, 5
FIRST_RUN_TIMEOUT = 90  # seconds: kernel start, JAX import and compilation on a busy machine


def test_live_view_stop_button_summary_and_graph_in_notebook7(notebook_server, notebook_ui):
    ui, started = notebook_ui, time.monotonic()
    expect = ui.expect
    ui.open(notebook_server.notebook_url(NOTEBOOK), CELLS, FIRST_RUN_TIMEOUT)
    expect(ui.page.locator("#jp-top-bar")).to_be_visible()  # Notebook 7's page, not Lab's
    assert ui.page.locator(".jp-LabShell").count() == 0

    ui.run_cell(CELL_SETUP, FIRST_RUN_TIMEOUT)
    expect(ui.output(CELL_SETUP)).to_contain_text("ready")

    # The live widget: a Stop button, a progress line with its bar, a curves image.
    ui.run_cell(CELL_FIT, FIRST_RUN_TIMEOUT)
    out = ui.output(CELL_FIT)
    stop = out.locator("button.widget-button", has_text="Stop")
    try:
        expect(stop).to_be_visible(timeout=FIRST_RUN_TIMEOUT * 1000)
    except AssertionError:
        ui.fail("Notebook 7 did not render the live widget's Stop button")
    progress, image = out.locator(".widget-html").first, out.locator("img.widget-image")
    deadline = time.monotonic() + FIRST_RUN_TIMEOUT
    while not (image.count() and ui.image_digest(image.first)
               and re.search(rf"Epoch \d+/{EPOCHS}", progress.inner_text())):
        if time.monotonic() > deadline:
            ui.fail("The live view showed no curves image or epoch progress while training ran")
        time.sleep(0.2)
    # the widget's own view, not its text/plain stand-in nor the widget manager's error
    assert out.locator(".widget-vbox").count() == 1, "no widget box rendered"
    assert ui.cell(CELL_FIT).locator("[data-mime-type='text/plain']").count() == 0, \
        "the widget's text/plain form was rendered instead of the widget"
    assert "Error displaying widget" not in out.first.inner_text()
    assert image.first.evaluate("i => i.getBoundingClientRect().width") <= image.first.evaluate(
        "i => i.naturalWidth") + 1, "the curves image is stretched (blurred) past its size"
    bar = progress.locator("div[style*='width:260px']")
    # each redraw replaces these elements: measure them again until a live one answers
    assert _settled_box(bar)["width"] > 100, "no progress bar drawn"
    box = _settled_box(image)
    assert box["width"] > 300 and box["height"] > 150, f"the curves image is {box}"
    ui.shot("1-live-view", ui.cell(CELL_FIT))
    ui.shot("1-live-view-page")

    # Stop: training stops after the current step; the widget becomes the static record.
    stop.click()
    record = out.get_by_text(re.compile(r"Training stopped after \d+ epochs?"))
    try:
        expect(record).to_be_visible(timeout=30_000)
    except AssertionError:
        ui.fail("After Stop, the live view was not replaced by 'Training stopped ...'")
    expect(out.locator("button", has_text="Stop")).to_have_count(0)
    static_png = out.locator("img[alt='training curves']")
    expect(static_png).to_have_count(1)
    assert static_png.evaluate("img => img.naturalWidth") > 0, "the final PNG did not decode"
    expect(out.locator("table")).to_contain_text("val_loss")
    ui.shot("2-stopped-static-record", ui.cell(CELL_FIT))

    ui.run_cell(CELL_WAIT, 60)
    found = re.search(r"EPOCHS_RUN=(\d+) OF (\d+) DONE=(\w+)",
                      ui.output(CELL_WAIT).first.inner_text())
    assert found and found.group(3) == "True", "the wait cell did not report the run"
    ran = int(found.group(1))
    assert 1 <= ran < EPOCHS, f"Stop did not end training early: {ran} of {EPOCHS} epochs ran"

    # model.summary() as the HTML table; plot_model as an SVG.
    ui.run_cell(CELL_SUMMARY)
    table = ui.cell(CELL_SUMMARY).locator(".jp-RenderedHTMLCommon table")
    expect(table).to_have_count(1)
    expect(table).to_contain_text("dense_1")
    expect(ui.output(CELL_SUMMARY).first).to_contain_text("Total params")
    assert ui.output(CELL_SUMMARY).locator("pre").count() == 0, "summary() printed text"
    ui.shot("3-summary", ui.cell(CELL_SUMMARY))
    ui.run_cell(CELL_PLOT)
    graph = ui.cell(CELL_PLOT).locator(".jp-RenderedSVG")
    expect(graph).to_have_count(1)
    svg = ui.svg_source(graph)
    assert "<svg" in svg and "dense_1" in svg, f"not the layer graph: {svg[:300]!r}"
    ui.shot("4-plot-model", ui.cell(CELL_PLOT))

    stderr = ui.stderr_text()
    assert "Traceback" not in stderr and "Error" not in stderr, f"the kernel wrote:\n{stderr}"
    print(f"Notebook 7 browser test: {ran} of {EPOCHS} epochs ran before Stop; "
          f"{time.monotonic() - started:.1f} s")


def _settled_box(locator, tries=50):
    """The bounding box of the locator's first element, asked again while a redraw of the live
    view has just replaced it (Playwright answers None for a detached element)."""
    for _ in range(tries):
        box = locator.first.bounding_box() if locator.count() else None
        if box is not None:
            return box
        time.sleep(0.1)
    return {"width": 0, "height": 0}
