"""The notebook views in a real browser: JupyterLab + Chromium, driven by Playwright.

What only a browser shows: the live training widget of `fit(..., background=True)` renders and
its curves image is redrawn while training runs; its Stop button reaches the kernel and ends
training early; the view is then replaced by the static record; `model.summary()` renders its
HTML table and `plot_model` an SVG. Screenshots and the browser console go to build/browser/.
The notebook is tests/browser/notebook/live_view.ipynb; its cells run one at a time, in order.
"""

from __future__ import annotations

import base64
import re
import time
import urllib.parse

import pytest

NOTEBOOK = "live_view.ipynb"
EPOCHS = 2000  # as in the notebook
CELL_SETUP, CELL_FIT, CELL_WAIT, CELL_SUMMARY, CELL_PLOT = 1, 2, 3, 4, 5
FIRST_RUN_TIMEOUT = 120  # seconds: kernel start, JAX import and compilation on a busy machine
DISTINCT_IMAGES = 2  # the first curves and at least one live redraw (~1 % of training time each)

_IMAGE_DIGEST = """async (img) => {
  if (!img.src || !img.complete || img.naturalWidth === 0) return null;
  try {
    const data = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', data);
    const hex = Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0'));
    return hex.join('') + ':' + data.byteLength + ':' + img.naturalWidth + 'x' + img.naturalHeight;
  } catch (e) { return null; }  // the blob was replaced meanwhile: read it on the next poll
}"""


def _expect():
    from playwright.sync_api import expect

    return expect


def _cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def _output(page, index):
    return _cell(page, index).locator(".jp-OutputArea-output")


def _run_cell(page, index, timeout_s=60):
    """Runs one code cell (command mode, Shift+Enter) and waits until the kernel ran it."""
    cell = _cell(page, index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Enter")
    _expect()(cell.locator(".jp-InputPrompt")).to_have_text(
        re.compile(r"^\s*\[\d+\]:\s*$"), timeout=timeout_s * 1000)
    _wait_kernel_idle(page, timeout_s)


def _wait_kernel_idle(page, timeout_s=60):
    _expect()(page.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
        "data-status", "idle", timeout=timeout_s * 1000)


def _shot(page, artifacts, name, locator=None):
    path = artifacts / f"{name}.png"
    page.mouse.move(1, 500)  # no hover highlight in the picture
    (locator or page).screenshot(path=str(path))
    return path


def _fail_with_context(page, artifacts, message):
    _shot(page, artifacts, "failure")
    pytest.fail(f"{message} (screenshot: {artifacts / 'failure.png'}; browser console: "
                f"{artifacts / 'console.log'}; server log: {artifacts / 'jupyterlab.log'})")


def test_live_view_stop_button_summary_and_graph_in_jupyterlab(lab_server, page,
                                                                artifacts_dir):
    started = time.monotonic()
    for old in artifacts_dir.glob("*.png"):
        old.unlink()
    expect = _expect()
    page.goto(lab_server.lab_url(NOTEBOOK), timeout=90_000)
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(6, timeout=90_000)
    _wait_kernel_idle(page, FIRST_RUN_TIMEOUT)

    # 1. Set-up cell: imports kernelkit, builds and compiles the model.
    _run_cell(page, CELL_SETUP, FIRST_RUN_TIMEOUT)
    expect(_output(page, CELL_SETUP)).to_contain_text("ready")

    # 2. fit(background=True): the cell returns at once, the widget stays live.
    _run_cell(page, CELL_FIT, FIRST_RUN_TIMEOUT)
    out = _output(page, CELL_FIT)
    stop = out.locator("button", has_text="Stop")
    expect(stop).to_be_visible(timeout=FIRST_RUN_TIMEOUT * 1000)
    image = out.locator("img.widget-image")
    progress = out.locator(".widget-html")
    digests, epochs_seen, first_shot = [], set(), False
    deadline = time.monotonic() + 120
    while len(set(digests)) < DISTINCT_IMAGES or len(epochs_seen) < 2:
        if time.monotonic() > deadline:
            _fail_with_context(
                page, artifacts_dir,
                f"The live view did not redraw while training ran: {len(set(digests))} distinct "
                f"curve images and progress lines for epochs {sorted(epochs_seen)} in 120 s")
        if out.get_by_text("Training finished").count():
            _fail_with_context(page, artifacts_dir,
                               "Training finished before the test could click Stop")
        if image.count():
            digest = image.first.evaluate(_IMAGE_DIGEST)
            if digest and (not digests or digest != digests[-1]):
                digests.append(digest)
                if not first_shot:
                    _shot(page, artifacts_dir, "1-live-view-first-plot", out.first)
                    first_shot = True
        if progress.count():
            epochs_seen.update(re.findall(r"Epoch (\d+)/" + str(EPOCHS),
                                          progress.first.inner_text()))
        time.sleep(0.3)
    assert len(set(digests)) == len(digests), "the curves image went back to an earlier state"
    _shot(page, artifacts_dir, "2-live-view-redrawn", out.first)
    _shot(page, artifacts_dir, "2-live-view-page")

    # 3. The Stop button: handled by the (idle) kernel, training stops after the current step,
    #    and the widget is replaced by the static record (status, metrics table, curves PNG).
    stop.click()
    record = out.get_by_text(re.compile(r"Training stopped after \d+ epochs"))
    try:
        expect(record).to_be_visible(timeout=30_000)
    except AssertionError:
        _fail_with_context(page, artifacts_dir,
                           "After Stop, the live view was not replaced by 'Training stopped ...'")
    expect(out.locator("button", has_text="Stop")).to_have_count(0)
    expect(out.locator("img.widget-image")).to_have_count(0)
    static_png = out.locator("img[alt='training curves']")
    expect(static_png).to_have_count(1)
    assert static_png.get_attribute("src").startswith("data:image/png;base64,")
    assert static_png.evaluate("img => img.naturalWidth") > 0, "the final PNG did not decode"
    _shot(page, artifacts_dir, "3-stopped-static-record", _cell(page, CELL_FIT))

    # 4. The handle agrees: training ended early.
    _run_cell(page, CELL_WAIT, 150)
    text = _output(page, CELL_WAIT).first.inner_text()
    found = re.search(r"EPOCHS_RUN=(\d+) OF (\d+) DONE=(\w+)", text)
    assert found, f"unexpected output of the wait cell: {text!r}"
    ran = int(found.group(1))
    assert int(found.group(2)) == EPOCHS and found.group(3) == "True"
    assert 1 <= ran < EPOCHS, f"Stop did not end training early: {ran} of {EPOCHS} epochs ran"

    # 5. model.summary(): the static HTML table (not the text form).
    _run_cell(page, CELL_SUMMARY)
    summary = _output(page, CELL_SUMMARY)
    table = _cell(page, CELL_SUMMARY).locator(".jp-RenderedHTMLCommon table")
    expect(table).to_have_count(1)
    expect(table).to_contain_text("Dense")
    assert table.locator("tbody tr").count() >= 2, "one row per Dense layer expected"
    expect(summary.first).to_contain_text("browser_test_model")
    expect(summary.first).to_contain_text("Total params")
    assert summary.locator("pre").count() == 0, "summary() printed text in a notebook"
    _shot(page, artifacts_dir, "4-summary", _cell(page, CELL_SUMMARY))

    # 6. plot_model: a graphviz Digraph, rendered as SVG.
    _run_cell(page, CELL_PLOT)
    graph = _cell(page, CELL_PLOT).locator(".jp-RenderedSVG")
    expect(graph).to_have_count(1)
    svg = _svg_source(graph)
    assert "<svg" in svg and "dense" in svg, f"not the layer graph: {svg[:300]!r}"
    _shot(page, artifacts_dir, "5-plot-model", _cell(page, CELL_PLOT))
    _shot(page, artifacts_dir, "6-page-end")
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    stderr = "\n".join(errors.all_inner_texts())
    assert "Traceback" not in stderr and "Error" not in stderr, f"the kernel wrote:\n{stderr}"
    print(f"browser test: {ran} of {EPOCHS} epochs ran before Stop; {len(digests)} distinct "
          f"curve images seen; {time.monotonic() - started:.1f} s")


def _svg_source(graph) -> str:
    """The SVG markup JupyterLab shows: inline `<svg>`, or an `<img>` with a data URI."""
    if graph.locator("svg").count():
        return graph.locator("svg").first.evaluate("e => e.outerHTML")
    img = graph.locator("img").first
    assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "the SVG did not render"
    src = img.get_attribute("src")
    head, _, data = src.partition(",")
    assert head.startswith("data:image/svg+xml"), f"not an SVG image: {head!r}"
    if head.endswith(";base64"):
        return base64.b64decode(data).decode("utf-8", "replace")
    return urllib.parse.unquote(data)
