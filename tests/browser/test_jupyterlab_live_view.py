"""The notebook views in a real browser: JupyterLab + Chromium, driven by Playwright.

What only a browser shows: the live training widget of `fit(..., background=True)` renders and
its curves image is redrawn while training runs; its Stop button reaches the kernel and ends
training early; the view is then replaced by the static record; `model.summary()` renders its
HTML table and `plot_model` an SVG. Screenshots, the browser console and the server log go to
build/browser/jupyterlab_live_view/. The notebook is tests/browser/notebook/live_view.ipynb;
its cells run one at a time, in order. tests/browser/test_notebook7_live_view.py runs the same
notebook in Notebook 7.
"""

from __future__ import annotations

import re
import time

NOTEBOOK = "live_view.ipynb"
EPOCHS = 2000  # as in the notebook
CELLS, CELL_SETUP, CELL_FIT, CELL_WAIT, CELL_SUMMARY, CELL_PLOT = 6, 1, 2, 3, 4, 5
FIRST_RUN_TIMEOUT = 120  # seconds: kernel start, JAX import and compilation on a busy machine
DISTINCT_IMAGES = 2  # the first curves and at least one live redraw (~1 % of training time each)


def test_live_view_stop_button_summary_and_graph_in_jupyterlab(lab_server, notebook_ui):
    ui, started = notebook_ui, time.monotonic()
    expect = ui.expect
    ui.open(lab_server.lab_url(NOTEBOOK), CELLS, FIRST_RUN_TIMEOUT)

    # 1. Set-up cell: imports kernelkit, builds and compiles the model.
    ui.run_cell(CELL_SETUP, FIRST_RUN_TIMEOUT)
    expect(ui.output(CELL_SETUP)).to_contain_text("ready")

    # 2. fit(background=True): the cell returns at once, the widget stays live.
    ui.run_cell(CELL_FIT, FIRST_RUN_TIMEOUT)
    out = ui.output(CELL_FIT)
    stop = out.locator("button", has_text="Stop")
    expect(stop).to_be_visible(timeout=FIRST_RUN_TIMEOUT * 1000)
    image = out.locator("img.widget-image")
    progress = out.locator(".widget-html")
    digests, epochs_seen, first_shot = [], set(), False
    deadline = time.monotonic() + 120
    while len(set(digests)) < DISTINCT_IMAGES or len(epochs_seen) < 2:
        if time.monotonic() > deadline:
            ui.fail(f"The live view did not redraw while training ran: {len(set(digests))} "
                    f"distinct curve images and progress lines for epochs "
                    f"{sorted(epochs_seen)} in 120 s")
        if out.get_by_text("Training finished").count():
            ui.fail("Training finished before the test could click Stop")
        if image.count():
            digest = ui.image_digest(image.first)
            if digest and (not digests or digest != digests[-1]):
                digests.append(digest)
                if not first_shot:
                    ui.shot("1-live-view-first-plot", out.first)
                    first_shot = True
        if progress.count():
            epochs_seen.update(re.findall(r"Epoch (\d+)/" + str(EPOCHS),
                                          progress.first.inner_text()))
        time.sleep(0.3)
    assert len(set(digests)) == len(digests), "the curves image went back to an earlier state"
    ui.shot("2-live-view-redrawn", out.first)
    ui.shot("2-live-view-page")

    # 3. The Stop button: handled by the (idle) kernel, training stops after the current step,
    #    and the widget is replaced by the static record (status, metrics table, curves PNG).
    stop.click()
    record = out.get_by_text(re.compile(r"Training stopped after \d+ epochs"))
    try:
        expect(record).to_be_visible(timeout=30_000)
    except AssertionError:
        ui.fail("After Stop, the live view was not replaced by 'Training stopped ...'")
    expect(out.locator("button", has_text="Stop")).to_have_count(0)
    expect(out.locator("img.widget-image")).to_have_count(0)
    static_png = out.locator("img[alt='training curves']")
    expect(static_png).to_have_count(1)
    assert static_png.get_attribute("src").startswith("data:image/png;base64,")
    assert static_png.evaluate("img => img.naturalWidth") > 0, "the final PNG did not decode"
    ui.shot("3-stopped-static-record", ui.cell(CELL_FIT))

    # 4. The handle agrees: training ended early.
    ui.run_cell(CELL_WAIT, 150)
    text = ui.output(CELL_WAIT).first.inner_text()
    found = re.search(r"EPOCHS_RUN=(\d+) OF (\d+) DONE=(\w+)", text)
    assert found, f"unexpected output of the wait cell: {text!r}"
    ran = int(found.group(1))
    assert int(found.group(2)) == EPOCHS and found.group(3) == "True"
    assert 1 <= ran < EPOCHS, f"Stop did not end training early: {ran} of {EPOCHS} epochs ran"

    # 5. model.summary(): the static HTML table (not the text form).
    ui.run_cell(CELL_SUMMARY)
    summary = ui.output(CELL_SUMMARY)
    table = ui.cell(CELL_SUMMARY).locator(".jp-RenderedHTMLCommon table")
    expect(table).to_have_count(1)
    expect(table).to_contain_text("Dense")
    assert table.locator("tbody tr").count() >= 2, "one row per Dense layer expected"
    expect(summary.first).to_contain_text("browser_test_model")
    expect(summary.first).to_contain_text("Total params")
    assert summary.locator("pre").count() == 0, "summary() printed text in a notebook"
    ui.shot("4-summary", ui.cell(CELL_SUMMARY))

    # 6. plot_model: a graphviz Digraph, rendered as SVG.
    ui.run_cell(CELL_PLOT)
    graph = ui.cell(CELL_PLOT).locator(".jp-RenderedSVG")
    expect(graph).to_have_count(1)
    svg = ui.svg_source(graph)
    assert "<svg" in svg and "dense" in svg, f"not the layer graph: {svg[:300]!r}"
    ui.shot("5-plot-model", ui.cell(CELL_PLOT))
    ui.shot("6-page-end")
    stderr = ui.stderr_text()
    assert "Traceback" not in stderr and "Error" not in stderr, f"the kernel wrote:\n{stderr}"
    print(f"browser test: {ran} of {EPOCHS} epochs ran before Stop; {len(digests)} distinct "
          f"curve images seen; {time.monotonic() - started:.1f} s")
