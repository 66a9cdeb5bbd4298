"""The layer-health panel: flags, the bounded history, HTML and text, and `LiveProgress`'s panel
in a notebook (real widgets, fake display handle) and in a terminal."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.display import live_view, set_display_mode
from kernelkit.display.layer_health_view import (
    EXPLODING_GRADIENT_NORM,
    VANISHING_GRADIENT_NORM,
    LayerHealth,
    LayerHealthHistory,
    layer_health_html,
    layer_health_text,
)


def _health(grad_norms, weights_finite=None, gradients_finite=None, names=None):
    n = len(grad_norms)
    names = names or [f"layer_{i}" for i in range(n)]
    sums = [[1.0] * n, np.square(grad_norms), [1e-6] * n,
            [1.0 if f else 0.0 for f in (weights_finite or [True] * n)],
            [1.0 if f else 0.0 for f in (gradients_finite or [True] * n)]]
    return LayerHealth.from_sums(names, sums)


def test_from_sums_takes_square_roots_and_ratio():
    health = LayerHealth.from_sums(["d", "e"], [[9.0, 0.0], [4.0, 1.0], [0.09, 0.01],
                                                [1, 1], [1, 1]])
    np.testing.assert_allclose(health.weight_norm, [3.0, 0.0])
    np.testing.assert_allclose(health.gradient_norm, [2.0, 1.0])
    assert health.update_ratio[0] == pytest.approx(0.1)
    assert np.isnan(health.update_ratio[1])  # zero weights: no ratio, not a flag


def test_problems_name_each_kind_in_layer_order():
    health = _health([1.0, VANISHING_GRADIENT_NORM / 10, EXPLODING_GRADIENT_NORM * 10, 1.0, 1.0],
                     weights_finite=[True, True, True, False, True],
                     gradients_finite=[True, True, True, False, False])
    problems = health.problems()
    assert [name for name, _ in problems] == ["layer_1", "layer_2", "layer_3", "layer_4"]
    assert problems[0][1].startswith("vanishing gradients")
    assert problems[1][1].startswith("exploding gradients")
    assert problems[2][1] == "NaN/inf in weights"  # weights first: the likely source
    assert problems[3][1] == "NaN/inf in gradients"
    assert health.problems(vanishing=0.0, exploding=np.inf)[0][0] == "layer_3"


def test_history_is_bounded_keeps_the_newest_and_remembers_the_first_nan():
    history = LayerHealthHistory(capacity=8)
    for i in range(50):
        bad = i == 7
        history.add(_health([float(i + 1)], gradients_finite=[not bad]), label=f"step {i}")
    assert len(history.samples) <= 8
    assert history.latest.gradient_norm[0] == 50.0
    assert history.first_nonfinite == ("step 7", [("layer_0", "NaN/inf in gradients")])
    history.add(_health([1.0], names=["other"]))  # another model: starts again
    assert len(history.samples) == 1 and history.first_nonfinite is None


def test_html_names_layers_values_and_flags():
    history = LayerHealthHistory()
    assert layer_health_html(history) == ""
    history.add(_health([0.5, 1.0], names=["dense", "head"]))
    history.add(_health([0.5, 1.0], gradients_finite=[True, False], names=["dense", "head"]),
                label="epoch 1, step 3")
    html = layer_health_html(history)
    assert "dense" in html and "head" in html
    assert "0.5000" in html  # the latest gradient norm of `dense`
    assert "NaN/inf in gradients" in html and "First NaN/inf (epoch 1, step 3)" in html
    assert "#d62728" in html  # the NaN cell of the strip is red
    assert "All 2 layers healthy" not in html


def test_html_of_a_healthy_run_says_so():
    history = LayerHealthHistory()
    history.add(_health([0.5, 1.0]))
    assert "All 2 layers healthy." in layer_health_html(history)
    assert "#d62728" not in layer_health_html(history)


def test_text_form():
    assert layer_health_text(None) == ""
    assert layer_health_text(_health([1.0])) == "Layer health: all 1 layers healthy."
    text = layer_health_text(_health([1e-9, 1.0], names=["a", "b"]),
                             first_nonfinite=("step 2", [("b", "NaN/inf in weights")]))
    assert text.startswith("Layer health: a: vanishing gradients")
    assert text.endswith("First NaN/inf (step 2): b: NaN/inf in weights.")


# ---- LiveProgress ------------------------------------------------------------------------------


class FakeHandle:
    display_id = "fake-id"

    def __init__(self):
        self.updates = []

    def update(self, obj, **kwargs):
        self.updates.append(obj)


@pytest.fixture
def notebook(monkeypatch):
    handles = []

    def show(obj, display_id=None):
        handles.append(FakeHandle())
        return handles[-1]

    monkeypatch.setattr(live_view, "show", show)
    set_display_mode("notebook")
    yield handles
    set_display_mode("auto")


def _fit(callback, nan_layer=None, epochs=2):
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(6, activation="relu", name="first"),
                           kk.layers.Dense(1, name="last")])
    model.compile("sgd", "mse", steps_per_execution=1)
    if nan_layer is not None:
        layer = model.get_layer(nan_layer)
        weights = layer.get_weights()
        weights[0][0, 0] = np.nan
        layer.set_weights(weights)
    x = np.random.default_rng(0).random((32, 4)).astype("float32")
    model.fit(x, x.sum(1, keepdims=True), batch_size=8, epochs=epochs, verbose=1,
              callbacks=[callback])
    return model


def test_live_panel_shows_and_stays_in_the_record(notebook):
    live = kk.callbacks.LiveProgress(layer_stats=True, update_interval=0)
    assert live.wants_layer_stats
    _fit(live)
    assert "first" in live.view.health.value and "last" in live.view.health.value
    assert len(live.layer_health.samples) >= 2
    record = notebook[0].updates[-1]
    assert "Layer health" in record["text/html"] and "All 2 layers healthy." in record["text/html"]
    assert record["text/plain"].endswith("Layer health: all 2 layers healthy.")


def test_live_panel_names_the_layer_with_nan_weights(notebook):
    live = kk.callbacks.LiveProgress(layer_stats=True, update_interval=0)
    _fit(live, nan_layer="last")
    label, found = live.layer_health.first_nonfinite
    assert label == "epoch 1, step 1"
    assert found[0] == ("last", "NaN/inf in weights")
    assert ("first", "NaN/inf in gradients") in found
    assert "First NaN/inf (epoch 1, step 1): <b>last</b>" in live.view.health.value


def test_live_view_without_layer_stats_has_no_panel(notebook):
    live = kk.callbacks.LiveProgress(update_interval=0)
    assert not live.wants_layer_stats
    model = _fit(live, epochs=1)
    assert live.view.health.value == "" and live.layer_health.latest is None
    assert model.train_function.fns.layer_groups is None
    assert "Layer health" not in notebook[0].updates[-1]["text/html"]


def test_terminal_prints_flagged_layers_after_each_epoch(capsys):
    set_display_mode("text")
    try:
        _fit(kk.callbacks.LiveProgress(layer_stats=True), nan_layer="first")
    finally:
        set_display_mode("auto")
    out = capsys.readouterr().out
    assert out.count("Layer health: first: NaN/inf in weights") == 3  # 2 epochs + the summary
    # text mode samples once per epoch: by then NaN reached both layers' weights
    assert "First NaN/inf (end of epoch 1): first: NaN/inf in weights; last:" in out
