"""`LiveProgress` headless: a fake display handle, a fake clock, real widgets without a kernel."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.callbacks import CallbackList, LiveProgress, ProgbarLogger
from kernelkit.callbacks import live_progress as live_module
from kernelkit.display import live_view, set_display_mode


class FakeHandle:
    def __init__(self):
        self.display_id = "fake-id"
        self.updates = []

    def update(self, obj, **kwargs):
        self.updates.append((obj, kwargs))


class FakeClock:
    def __init__(self, step=0.0):
        self.now, self.step = 0.0, step

    def __call__(self):
        self.now += self.step
        return self.now


@pytest.fixture
def shown(monkeypatch):
    displayed = []

    def show(obj, display_id=None):
        assert display_id is True
        handle = FakeHandle()
        displayed.append((obj, handle))
        return handle

    monkeypatch.setattr(live_view, "show", show)
    set_display_mode("notebook")
    yield displayed
    set_display_mode("auto")


@pytest.fixture
def published(monkeypatch):
    calls = []

    def publish(html, text, display_id=None, update=False):
        calls.append({"html": html, "text": text, "display_id": display_id, "update": update})
        return FakeHandle()

    monkeypatch.setattr(live_module, "publish", publish)
    return calls


def _model():
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(8, activation="relu"),
                           kk.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def _data(n=64):
    x = np.random.default_rng(0).random((n, 4)).astype("float32")
    return x, x.sum(1, keepdims=True)


def _drive(live, epochs=2, steps=100, dt=0.05, logs=None):
    """Runs the hooks as fit does, the fake clock advancing `dt` before each batch."""
    live.set_params({"verbose": "auto", "epochs": epochs, "steps": steps})
    live.on_train_begin()
    for epoch in range(epochs):
        live.on_epoch_begin(epoch)
        for step in range(steps):
            live.clock.now += dt
            live.on_train_batch_end(step, {"loss": 1.0 / (step + 1 + epoch * steps)})
        live.on_epoch_end(epoch, logs or {"loss": 0.5 - 0.1 * epoch,
                                          "val_loss": 0.6 - 0.1 * epoch})
    live.on_train_end()


def test_curves_are_redrawn_at_most_once_per_interval(shown):
    live = LiveProgress(update_interval=1.0, clock=FakeClock(),
                        background_redraws=False)
    _drive(live, epochs=2, steps=100, dt=0.05)  # 10 fake seconds of training
    assert 8 <= live.redraws <= 11
    fast = LiveProgress(update_interval=1.0, clock=FakeClock(),
                        background_redraws=False)
    _drive(fast, epochs=1, steps=100, dt=0.001)  # 0.1 fake seconds: one redraw only
    assert fast.redraws == 1
    slow = LiveProgress(update_interval=5.0, clock=FakeClock(),
                        background_redraws=False)
    _drive(slow, epochs=2, steps=100, dt=0.05)
    assert 2 <= slow.redraws <= 3


def _count_renders(live, cost):
    """Counts the curve renders; each advances the fake clock by `cost` seconds."""
    renders = []
    draw = live.curves.to_png

    def timed(*args):
        live.clock.now += cost
        renders.append(1)
        return draw(*args)

    live.curves.to_png = timed
    return renders


def test_slow_redraws_are_spaced_to_about_one_percent_of_training(shown):
    live = LiveProgress(update_interval=1.0, clock=FakeClock(),
                        background_redraws=False)
    original = live.on_train_begin

    def begin(logs=None):
        original(logs)
        live.renders = _count_renders(live, cost=0.1)  # each redraw 0.1 s: one per ~10 s

    live.on_train_begin = begin
    _drive(live, epochs=2, steps=200, dt=0.05)  # 20 fake seconds of training
    assert 2 <= live.redraws <= 3, live.redraws


def test_the_final_record_reuses_curves_that_are_current(shown):
    live = LiveProgress(update_interval=0.0, clock=FakeClock(),
                        background_redraws=False)  # redraw whenever anything changed
    original = live.on_train_begin

    def begin(logs=None):
        original(logs)
        live.renders = _count_renders(live, cost=0.0)

    live.on_train_begin = begin
    _drive(live, epochs=2, steps=5)
    assert live.redraws >= 2 and len(live.renders) == live.redraws  # no extra final render
    (box, handle), = shown
    (bundle, _), = handle.updates
    assert "data:image/png;base64," in bundle["text/html"]


def test_background_redraws_reach_the_widget_and_end_with_training(shown):
    import threading

    live = LiveProgress(update_interval=0.0, clock=FakeClock())
    seen = []
    live.set_params({"verbose": "auto", "epochs": 3, "steps": 4})
    live.on_train_begin()
    for epoch in range(3):
        live.on_epoch_begin(epoch)
        live.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 1.5 / (epoch + 1)})
        if live._redraw is not None:
            live._redraw.result(timeout=30)  # the redraw of this epoch's values
            seen.append(bytes(live.view.image.value))
    assert any(thread.name.startswith("kernelkit-curves") for thread in threading.enumerate())
    live.on_train_end()
    assert not any(thread.name.startswith("kernelkit-curves") and thread.is_alive()
                   for thread in threading.enumerate()), "the redraw thread outlived training"
    assert seen and all(png.startswith(b"\x89PNG") for png in seen)
    assert len(set(seen)) == len(seen), "each epoch's redraw should show new curves"
    (box, handle), = shown
    (bundle, _), = handle.updates
    assert "Training finished: 3 epochs" in bundle["text/html"]
    assert "data:image/png;base64," in bundle["text/html"]


def test_widget_updates_in_place_then_is_finalized_to_static_html(shown):
    live = LiveProgress(clock=FakeClock())
    _drive(live)
    (box, handle), = shown
    assert type(box).__name__ == "VBox" and box.comm is None  # closed: no widget state kept
    (bundle, kwargs), = handle.updates
    assert kwargs == {"raw": True}
    html = bundle["text/html"]
    assert "Training finished: 2 epochs" in html and "data:image/png;base64," in html
    assert "<script" not in html and "Best epoch: 2 (by val_loss)" in html
    assert bundle["text/plain"].startswith("Training finished")


def test_progress_line_and_best_epoch_table(shown):
    live = LiveProgress(clock=FakeClock(),
                        background_redraws=False)
    live.set_params({"verbose": "auto", "epochs": 3, "steps": 10})
    live.on_train_begin()
    live.on_epoch_begin(0)
    for step in range(4):
        live.clock.now += 0.5
        live.on_train_batch_end(step, {"loss": 0.25})
    progress = live.view.progress.value
    assert "Epoch 1/3" in progress and "step 4/10" in progress and "steps/s" in progress
    assert "ETA" in progress and "loss <b>0.2500</b>" in progress
    assert "width:40.0%" in progress
    live.on_epoch_end(0, {"loss": 0.3, "val_loss": 0.9})
    live.on_epoch_begin(1)
    live.on_epoch_end(1, {"loss": 0.2, "val_loss": 0.4})
    live.on_epoch_begin(2)
    live.on_epoch_end(2, {"loss": 0.1, "val_loss": 0.7})
    best = live.view.best.value
    assert "Best epoch so far (by val_loss)" in best and ">2</td>" in best
    assert bytes(live.view.image.value).startswith(b"\x89PNG")


def test_stop_button_stops_fit_and_finalizes_as_stopped(shown):
    live = LiveProgress()

    class ClickStop(kk.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                live.view.button.click()

    model = _model()
    x, y = _data()
    history = model.fit(x, y, epochs=5, batch_size=8, callbacks=[live, ClickStop()], verbose=0)
    assert len(history.history["loss"]) == 1 and model.stop_training
    assert live.view.button.disabled
    (_, handle), = shown
    assert "Training stopped after 1 epoch " in handle.updates[0][0]["text/html"]


def test_failed_training_is_finalized_too(shown):
    live = LiveProgress()

    class Boom(kk.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("boom")

    x, y = _data()
    with pytest.raises(RuntimeError, match="boom"):
        _model().fit(x, y, epochs=3, batch_size=16, callbacks=[live, Boom()], verbose=0)
    (_, handle), = shown
    assert "Training failed in epoch 1/3" in handle.updates[0][0]["text/html"]
    assert "RuntimeError" in handle.updates[0][0]["text/html"]


def test_fit_verbose_auto_uses_the_live_view_in_a_notebook(shown, capsys):
    cbs = CallbackList(add_progbar=True, verbose="auto", epochs=1, steps=1)
    assert type(cbs._progbar) is LiveProgress
    cbs = CallbackList(add_progbar=True, verbose=1, epochs=1, steps=1)
    assert type(cbs._progbar) is ProgbarLogger
    x, y = _data()
    history = _model().fit(x, y, epochs=2, batch_size=16, validation_split=0.25)
    assert set(history.history) == {"loss", "mae", "val_loss", "val_mae"}
    assert len(shown) == 1 and "Epoch 1/2" not in capsys.readouterr().out


def test_text_fallback_outside_a_notebook(capsys):
    set_display_mode("text")
    try:
        live = LiveProgress()
        assert type(CallbackList(add_progbar=True, verbose="auto")._progbar) is ProgbarLogger
        x, y = _data()
        _model().fit(x, y, epochs=2, batch_size=16, callbacks=[live], verbose=1)
    finally:
        set_display_mode("auto")
    assert live.view is None and "Epoch 2/2" in capsys.readouterr().out


def test_text_fallback_without_ipywidgets(monkeypatch, capsys):
    monkeypatch.setattr(live_module, "widgets_available", lambda: False)
    set_display_mode("notebook")
    try:
        live = LiveProgress()
        x, y = _data()
        _model().fit(x, y, epochs=1, batch_size=16, callbacks=[live], verbose=2)
    finally:
        set_display_mode("auto")
    assert not live.is_live() and "loss:" in capsys.readouterr().out


def test_evaluate_and_predict_show_a_compact_line(shown, published):
    model = _model()
    x, y = _data()
    model.evaluate(x, y, batch_size=16)
    first, *rest = published
    assert first["display_id"] is True and not first["update"]
    assert all(c["update"] and c["display_id"] == "fake-id" for c in rest)
    assert "Done" in rest[-1]["html"] and "step 4/4" in rest[-1]["html"]
    published.clear()
    model.predict(x, batch_size=32)
    assert "step 2/2" in published[-1]["html"] and not shown


def test_metric_selection_and_log_scale(shown):
    live = LiveProgress(metrics=["mae"], log_scale=True, clock=FakeClock())
    _drive(live, epochs=2, steps=3, logs={"loss": 0.5, "mae": 0.4, "val_mae": 0.3})
    assert list(live.curves.series) == ["mae"]
    ax = live.curves._figure.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == "mae"


def test_bad_update_interval_raises():
    with pytest.raises(ValueError, match="update_interval.*Received: update_interval=-1"):
        LiveProgress(update_interval=-1)
