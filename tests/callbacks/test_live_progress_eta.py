"""`LiveProgress` headless: the whole run's ETA, and the best epoch's row in the final record."""

import re

import pytest

from kernelkit.callbacks import LiveProgress
from kernelkit.display import live_view, set_display_mode


class FakeHandle:
    def __init__(self):
        self.display_id = "fake-id"
        self.updates = []

    def update(self, obj, **kwargs):
        self.updates.append((obj, kwargs))


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def shown(monkeypatch):
    displayed = []

    def show(obj, display_id=None):
        handle = FakeHandle()
        displayed.append((obj, handle))
        return handle

    monkeypatch.setattr(live_view, "show", show)
    set_display_mode("notebook")
    yield displayed
    set_display_mode("auto")


def _seconds(text: str, label: str):
    match = re.search(rf"(?<![a-z]){label} (\d+):(\d\d)", text)
    return None if match is None else int(match[1]) * 60 + int(match[2])


def _run(epochs, steps, dt, stop_at, val_time=0.0):
    """Drives fit's hooks with a fake clock until epoch/step `stop_at`; returns the view."""
    live = LiveProgress(clock=FakeClock(), background_redraws=False, update_interval=1e9)
    live.set_params({"verbose": "auto", "epochs": epochs, "steps": steps})
    live.on_train_begin()
    for epoch in range(epochs):
        live.on_epoch_begin(epoch)
        for step in range(steps):
            live.clock.now += dt
            live.on_train_batch_end(step, {"loss": 1.0})
            if (epoch, step) == stop_at:
                return live
        live.clock.now += val_time
        live.on_epoch_end(epoch, {"loss": 1.0})
    return live


@pytest.mark.parametrize("epoch, step, epoch_left, run_left", [
    (0, 19, 80, 80 + 9 * 100),  # 1 s a step: 80 steps here, 9 later epochs of 100
    (4, 99, None, 5 * 100),  # the last step of an epoch: the epoch ETA is gone, the run's not
    (8, 49, 50, 50 + 100),
])
def test_progress_line_shows_the_epoch_and_the_run_eta(shown, epoch, step, epoch_left,
                                                       run_left):
    live = _run(epochs=10, steps=100, dt=1.0, stop_at=(epoch, step))
    progress = live.view.progress.value
    assert _seconds(progress, "run ETA") == run_left, progress
    assert _seconds(progress, "epoch ETA") == epoch_left, progress


def test_run_eta_counts_time_spent_outside_training_steps(shown):
    # 100 steps of 0.1 s plus 10 s of validation per epoch: an epoch takes 20 s in all.
    live = _run(epochs=4, steps=100, dt=0.1, stop_at=(2, 0), val_time=10.0)
    progress = live.view.progress.value
    assert _seconds(progress, "epoch ETA") == round(99 * 0.1)
    assert _seconds(progress, "run ETA") == round((99 + 100) * 40.1 / 201)  # the run's rate


def test_last_epoch_shows_a_single_eta(shown):
    live = _run(epochs=3, steps=10, dt=2.0, stop_at=(2, 4))
    progress = live.view.progress.value
    assert "run ETA" not in progress and "epoch ETA" not in progress
    assert _seconds(progress, "ETA") == 5 * 2


def test_epoch_end_line_shows_the_run_eta_until_the_end(shown):
    live = _run(epochs=3, steps=10, dt=1.0, stop_at=(1, 9))
    live.on_epoch_end(1, {"loss": 1.0})
    assert _seconds(live.view.progress.value, "run ETA") == 10
    live.on_epoch_begin(2)
    for step in range(10):
        live.clock.now += 1.0
        live.on_train_batch_end(step, {"loss": 1.0})
    live.on_epoch_end(2, {"loss": 1.0})
    assert "ETA" not in live.view.progress.value and "elapsed" in live.view.progress.value


def _record(losses, shown):
    live = LiveProgress(clock=FakeClock(), background_redraws=False, update_interval=1e9)
    live.set_params({"verbose": "auto", "epochs": len(losses), "steps": 1})
    live.on_train_begin()
    for epoch, loss in enumerate(losses):
        live.on_epoch_begin(epoch)
        live.on_epoch_end(epoch, {"loss": loss})
    live.on_train_end()
    (_, handle), = shown
    return handle.updates[0][0]["text/html"]


def _rows(html):
    return re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1])


def test_final_record_shows_an_older_best_epoch_above_the_last_twenty(shown):
    losses = [1.0, 0.5, 0.1] + [0.2 + 0.01 * i for i in range(27)]  # best: epoch 3 of 30
    html = _record(losses, shown)
    rows = _rows(html)
    assert len(rows) == 21 and "Best epoch: 3 (by loss)" in html
    assert ">3 (best)</td>" in rows[0] and "0.1000" in rows[0]
    assert "font-weight:700" in rows[0] and "font-weight:700" not in "".join(rows[1:])
    assert ">11</td>" in rows[1] and ">30</td>" in rows[-1]


def test_final_status_times_a_run_whose_clock_starts_at_zero(shown):
    live = _run(epochs=2, steps=30, dt=1.0, stop_at=None)
    live.on_train_end()
    (_, handle), = shown
    assert "Training finished: 2 epochs in 1:00." in handle.updates[0][0]["text/html"]


def test_final_record_bolds_a_recent_best_epoch_in_place(shown):
    losses = [1.0 - 0.01 * i for i in range(25)] + [2.0] * 5  # best: epoch 25
    rows = _rows(_record(losses, shown))
    assert len(rows) == 20 and "(best)" not in "".join(rows)
    bold = [i for i, row in enumerate(rows) if "font-weight:700" in row]
    assert bold == [14] and ">25</td>" in rows[14]
