"""`display.compare` (runs overlaid, best-epoch table) and `History`'s notebook view."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.callbacks import CSVLogger, History
from kernelkit.display import compare
from kernelkit.display.history_view import sparkline_svg


def _history(losses, val_losses=None):
    history = History()
    history.on_train_begin()
    for epoch, loss in enumerate(losses):
        logs = {"loss": loss, "accuracy": 1 - loss}
        if val_losses is not None:
            logs["val_loss"] = val_losses[epoch]
        history.on_epoch_end(epoch, logs)
    return history


def test_best_epoch_table_uses_val_loss_then_loss():
    view = compare({"a": _history([1.0, 0.5, 0.4], [0.9, 0.6, 0.7]),
                    "b": _history([0.8, 0.3])})
    rows = {row["run"]: row for row in view.table()}
    assert rows["a"]["best epoch"] == 2 and rows["a"]["val_loss"] == 0.6
    assert rows["a"]["loss"] == 0.5
    assert rows["b"]["best epoch"] == 2 and rows["b"]["loss"] == 0.3
    assert view.metrics == ["loss", "accuracy"]
    assert view.png().startswith(b"\x89PNG")
    page = view._repr_html_()
    assert "data:image/png;base64," in page and "<td style='padding:1px 8px'>a</td>" in page
    text = repr(view).splitlines()
    assert text[0].split()[:3] == ["run", "best", "epoch"] and text[1].startswith("a ")


def test_runs_from_fit_csv_logs_and_lists(tmp_path):
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    path = tmp_path / "log.csv"
    history = model.fit(x, x[:, :1], epochs=3, verbose=0, callbacks=[CSVLogger(str(path))])
    view = compare([history, str(path)])
    runs = list(view.runs.values())
    assert list(view.runs) == ["run 1", "run 2"]
    np.testing.assert_allclose(runs[1]["loss"], runs[0]["loss"], rtol=1e-6)


@pytest.mark.parametrize("runs, error, match", [
    ({}, ValueError, "at least one run"),
    ({"a": 3}, TypeError, "run 'a' is a int"),
    ("not runs", TypeError, r"expected a dict \{name: run\} or a list"),
])
def test_bad_runs_are_refused(runs, error, match):
    with pytest.raises(error, match=match):
        compare(runs)


def test_empty_csv_log_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("epoch,loss\n")
    with pytest.raises(ValueError, match="has no rows"):
        compare({"a": str(path)})


def test_history_html_shows_final_best_and_a_sparkline_per_metric():
    history = _history([1.0, 0.5, 0.7], [0.9, 0.8, 0.85])
    page = history._repr_html_()
    assert "<b>History</b>: 3 epochs" in page
    assert page.count("<svg") == 3  # loss, val_loss, accuracy
    assert "0.5 (epoch 2)" in page and "0.8 (epoch 2)" in page
    assert "<script" not in page
    assert repr(history).startswith("<History: 3 epochs; loss=0.7")


def test_sparkline_skips_non_finite_values_and_is_empty_without_values():
    svg = sparkline_svg([1.0, float("nan"), 0.5])
    points = svg.split('points="')[1].split('"')[0].split()
    assert len(points) == 2 and 'circle cx="118.0"' in svg
    assert sparkline_svg([]) == "" and sparkline_svg([float("inf")]) == ""
