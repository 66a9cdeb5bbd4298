"""The training tools' notebook views in Jupyter Notebook 7 + Chromium (Playwright).

The same cells and checks as the JupyterLab test (tests/browser/training_tools_views.py) on
Notebook 7's own page and styles: the learning-rate finder's plot, the layer-health panel,
`compare` and a `History`. One screenshot per view's cell goes to
build/browser/notebook7_training_tools_views/.
"""

from __future__ import annotations

from tests.browser.training_tools_views import NOTEBOOK, run_and_check


def test_training_tools_views_render_in_notebook7(notebook_server, notebook_ui):
    ui = notebook_ui
    shots = run_and_check(ui, notebook_server.notebook_url(NOTEBOOK))
    ui.expect(ui.page.locator("#jp-top-bar")).to_be_visible()  # Notebook 7's page, not Lab's
    assert ui.page.locator(".jp-LabShell").count() == 0
    assert all(path.stat().st_size > 5_000 for path in shots.values()), shots
