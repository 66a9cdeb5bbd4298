"""The training tools' notebook views in JupyterLab + Chromium (Playwright).

Runs tests/browser/notebook/training_tools.ipynb cell by cell and checks the learning-rate
finder's plot, `LiveProgress(layer_stats=True)`'s layer-health panel (a row per Dense layer),
`compare`'s image and best-epoch table and a `History` (tests/browser/training_tools_views.py);
one screenshot per view's cell goes to build/browser/jupyterlab_training_tools_views/.
tests/browser/test_notebook7_training_tools_views.py runs the same cells in Notebook 7.
"""

from __future__ import annotations

from tests.browser.training_tools_views import NOTEBOOK, run_and_check


def test_training_tools_views_render_in_jupyterlab(lab_server, notebook_ui):
    ui = notebook_ui
    shots = run_and_check(ui, lab_server.lab_url(NOTEBOOK))
    assert ui.page.locator(".jp-LabShell").count() == 1  # JupyterLab's page
    assert all(path.stat().st_size > 5_000 for path in shots.values()), shots
