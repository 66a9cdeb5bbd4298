"""What each view shows where no HTML or widget is rendered: its text forms.

Three places: plain `python` without IPython (a subprocess that cannot import it: what is
printed or `repr`'d), the text/plain beside the rich forms of each mimebundle (what a saved,
`nbconvert`-executed notebook holds and what a console or a frontend without widget support
shows), and one tiny notebook run by nbclient, the executor of `jupyter nbconvert --execute`
(display updates applied, as in the saved file). No view may fall back to a raw object repr.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

import kernelkit as kk
from kernelkit.display import live_view, set_display_mode

RAW_REPR_SIGNS = (" object at 0x", "VBox(children=", "<graphviz.")

PLAIN_PYTHON = textwrap.dedent("""
    import sys

    class NoIPython:  # as if IPython (and so ipywidgets) were not installed
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("IPython", "ipywidgets", "ipykernel"):
                raise ModuleNotFoundError(f"No module named {name!r}")

    sys.meta_path.insert(0, NoIPython())
    import numpy as np
    import kernelkit as kk

    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(3, activation="relu"),
                           kk.layers.Dense(1)], name="tiny")
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(x, x[:, :1], epochs=2, batch_size=16, validation_split=0.25,
                        callbacks=[kk.callbacks.LiveProgress()])
    print("== history", repr(history))
    model.summary()
    print("== graph", repr(kk.utils.plot_model(model, show_shapes=True)), sep="\\n")
    print("== compare", repr(kk.display.compare({"first": history, "second": history})),
          sep="\\n")
    print("== lr finder")
    model.find_learning_rate(x, x[:, :1], steps=8)
    print("== weights", repr(model.inspect_weights()), sep="\\n")
    print("== evaluate")
    model.evaluate(x, x[:, :1], batch_size=16)
    print("== ipython loaded:", "IPython" in sys.modules)
""")


@pytest.fixture(scope="module")
def plain_output():
    """Everything the script above prints in plain `python`, split by its `== ` headers."""
    env = {**os.environ, "KERAS_BACKEND": "jax", "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-c", PLAIN_PYTHON], capture_output=True, text=True,
                          env=env, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    parts = ("fit\n" + done.stdout).split("== ")
    return {part.split(None, 1)[0]: part for part in parts}


def test_plain_python_shows_text_for_every_view(plain_output):
    out = plain_output
    assert out["ipython"].strip().endswith("False"), "IPython was imported after all"
    assert "Epoch 1/2" in out["fit"] and "Epoch 2/2" in out["fit"]  # LiveProgress -> progbar
    assert "val_loss:" in out["fit"]
    assert out["history"].startswith("history <History: 2 epochs; loss=")
    assert 'Model: "tiny"' in out["history"] and "Total params: 19" in out["history"]
    graph = out["graph"].splitlines()
    assert graph[1] == "Layer graph 'tiny': 3 layers, 2 connections"
    assert "dense_1 (Dense)" in graph[4] and "(None, 3) -> (None, 1)" in graph[4]
    assert graph[4].endswith("<- dense")
    lines = out["compare"].splitlines()
    assert lines[1].split()[:3] == ["run", "best", "epoch"] and lines[2].startswith("first")
    assert "Learning-rate finder: 8 steps from 1.0e-07" in out["lr"]
    assert "4 variables, 19 values (19 trainable)" in out["weights"]
    assert "dense_1/kernel" in out["weights"]
    assert "loss:" in out["evaluate"]
    for name, text in out.items():
        assert not any(sign in text for sign in RAW_REPR_SIGNS), (name, text)


# ---- the mimebundles a kernel sends -------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(3, activation="relu"),
                           kk.layers.Dense(1)], name="tiny")
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(x, x[:, :1], epochs=2, batch_size=16, validation_split=0.25,
                        verbose=0)
    return model, history, x


class Recorder:
    """Stands in for `IPython.display.display`: keeps every bundle and update."""

    def __init__(self):
        self.bundles = []

    def __call__(self, obj, raw=False, display_id=None, update=False, **kwargs):
        if not raw:
            obj, _ = DisplayFormatter().format(obj)
        self.bundles.append({"bundle": dict(obj), "update": update})
        return self

    def update(self, obj, raw=False):
        self(obj, raw=raw, update=True)

    display_id = "recorded"


@pytest.fixture
def recorder(monkeypatch):
    recorded = Recorder()
    monkeypatch.setattr("IPython.display.display", recorded)
    set_display_mode("notebook")
    yield recorded
    set_display_mode("auto")


def _text(bundle) -> str:
    text = bundle["text/plain"]
    assert text.strip() and not any(sign in text for sign in RAW_REPR_SIGNS), text
    return text


def test_live_view_widget_has_a_text_form_and_ends_as_the_record(recorder, trained):
    model, _, x = trained
    model.fit(x, x[:, :1], epochs=2, batch_size=16, validation_split=0.25,
              callbacks=[kk.callbacks.LiveProgress(update_interval=0)])
    first, *_, last = recorder.bundles
    assert "application/vnd.jupyter.widget-view+json" in first["bundle"]
    assert _text(first["bundle"]) == live_view.LIVE_VIEW_TEXT
    assert "ipywidgets" in live_view.LIVE_VIEW_TEXT
    assert last["update"] and sorted(last["bundle"]) == ["text/html", "text/plain"]
    record = _text(last["bundle"]).splitlines()
    assert record[0].startswith("Training finished: 2 epochs in ")
    assert [line.split(":")[0] for line in record[1:]] == ["loss", "mae", "val_loss", "val_mae"]
    assert "alt='training curves'" in last["bundle"]["text/html"]


def test_live_view_closes_every_widget_and_drops_the_png(recorder):
    view = live_view.LiveView()
    view.open()
    view.set_curves(b"\x89PNG fake")
    parts = [view._box, *view._box.children, view.button, view.progress, view.image]
    view.finalize("<b>done</b>", "done")
    assert view.image.value == b""
    assert all(w.comm is None for w in parts)
    assert all(w.layout.comm is None for w in parts)
    assert view.button.style.comm is None and view.progress.style.comm is None


def test_summary_and_model_repr_have_the_text_table(recorder, trained):
    model, _, _ = trained
    model.summary()
    (shown,) = recorder.bundles
    assert "<table" in shown["bundle"]["text/html"]
    text = _text(shown["bundle"])
    assert text.startswith('Model: "tiny"') and "Total params: 19" in text
    bundle, _ = DisplayFormatter().format(model)  # `model` as a cell's last line
    assert "text/html" in bundle and _text(bundle) == text


def test_graph_history_comparison_and_weights_have_text_beside_html(trained):
    model, history, _ = trained
    formats = DisplayFormatter()
    graph, _ = formats.format(kk.utils.plot_model(model, show_shapes=True))
    assert "<svg" in graph["image/svg+xml"]
    assert _text(graph).splitlines()[2].split() == [
        "dense", "(Dense)", "(None,", "4)", "->", "(None,", "3)", "<-", "input_layer"]
    shown, _ = formats.format(history)
    assert "kk-history" in shown["text/html"]
    assert _text(shown).startswith("<History: 2 epochs; loss=")
    shown, _ = formats.format(kk.display.compare({"a": history, "b": history.history}))
    assert "<img" in shown["text/html"]
    assert [line.split()[0] for line in _text(shown).splitlines()] == ["run", "a", "b"]
    shown, _ = formats.format(model.inspect_weights(histograms=True))
    assert "<svg" in shown["text/html"]
    assert _text(shown).splitlines()[0] == "4 variables, 19 values (19 trainable)"


def test_lr_finder_and_evaluate_publish_text_beside_html(recorder, trained):
    model, _, x = trained
    result = model.find_learning_rate(x, x[:, :1], steps=8)
    model.evaluate(x, x[:, :1], batch_size=16)
    finder, *progress = (shown["bundle"] for shown in recorder.bundles)
    assert "<img" in finder["text/html"]
    assert _text(finder) == repr(result)
    assert _text(finder).startswith("Learning-rate finder: 8 steps")
    assert _text(progress[-1]).startswith("Done - step 2/2")
    assert "loss: " in _text(progress[-1])


# ---- nbconvert: the saved notebook --------------------------------------------------------

NOTEBOOK_CELLS = [
    "import numpy as np, kernelkit as kk\n"
    "x = np.random.default_rng(0).normal(size=(32, 4)).astype('float32')\n"
    "model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(1)], name='saved')\n"
    "model.compile('adam', 'mse')\n"
    "history = model.fit(x, x[:, :1], epochs=2, batch_size=16)",
    "kk.utils.plot_model(model)",
    "result = model.find_learning_rate(x, x[:, :1], steps=8)\nresult",
    "result",
]


def test_nbconvert_execute_saves_the_record_and_text_forms(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS])
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    fit_outputs = notebook.cells[0].outputs
    (record,) = [o for o in fit_outputs if o.output_type == "display_data"]
    assert "application/vnd.jupyter.widget-view+json" not in record.data  # replaced
    assert record.data["text/plain"].startswith("Training finished: 2 epochs in ")
    assert "training curves" in record.data["text/html"]
    (graph,) = notebook.cells[1].outputs
    assert graph.data["text/plain"].startswith("Layer graph 'saved': 2 layers, 1 connection")
    assert "image/svg+xml" in graph.data
    for cell in notebook.cells[2:]:  # the finder shows once in its cell, then again on demand
        (shown,) = cell.outputs
        assert shown.data["text/plain"].startswith("Learning-rate finder: 8 steps")
        assert "<img" in shown.data["text/html"]
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    images = [m for m in state.values() if m["model_name"] == "ImageModel"]
    assert all(base64.b64decode(b["data"]) == b"" for m in images for b in m.get("buffers", []))
    assert len(json.dumps(state)) < 20_000, "the saved widget state holds more than settings"
