"""ProgbarLogger and Progbar: terminal bar, log-file lines, verbose=2; compared with Keras."""

import io
import re
import sys

import pytest

from kernelkit.callbacks import CallbackList, Progbar, ProgbarLogger
from kernelkit.callbacks import progbar as progbar_module
from tests.keras_oracle import keras

EPOCH_LOGS = [{"loss": 0.5, "mae": 0.25}, {"loss": 0.125, "mae": 0.0005}]


class TTYBuffer(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    """A fake clock: `clock[0]` is the time; tests advance it."""
    now = [100.0]
    monkeypatch.setattr(progbar_module, "_clock", lambda: now[0])
    return now


def batch_logs(epoch, step):
    return {"loss": 1.0 / (step + 1), "mae": 0.5}


def timed_batch_logs(clock):
    """Batch logs that also advance the fake clock by 0.25 s per step."""

    def logs(epoch, step):
        clock[0] += 0.25
        return batch_logs(epoch, step)

    return logs


def run_ours(verbose, drive_fit, make_fake_model, clock, steps=4, epochs=2):
    model = make_fake_model()
    callbacks = CallbackList(add_progbar=True, model=model, verbose=verbose, epochs=epochs,
                             steps=steps)
    drive_fit(callbacks, model, EPOCH_LOGS[:epochs], steps=steps,
              batch_logs=timed_batch_logs(clock))


def run_keras(verbose, drive_fit, make_keras_model, capsys, steps=4, epochs=2):
    model = make_keras_model()
    callbacks = keras.callbacks.CallbackList(add_progbar=True, model=model, verbose=verbose,
                                             epochs=epochs, steps=steps)
    capsys.readouterr()
    drive_fit(callbacks, model, EPOCH_LOGS[:epochs], steps=steps, batch_logs=batch_logs)
    return capsys.readouterr().out


def final_frames(text):
    """The last frame of each printed line: what a terminal shows in the end."""
    return [line.split("\r")[-1].replace("\b", "") for line in text.split("\n")]


def without_times(text):
    text = re.sub(r"\d+(ms|us|s)/step", "T/step", text)
    text = re.sub(r"\x1b\[1m\d+s\x1b\[0m", "\x1b[1mTs\x1b[0m", text)
    return re.sub(r" - \d+s - ", " - Ts - ", text)


def test_verbose_2_prints_one_line_per_epoch_like_keras(capsys, clock, drive_fit,
                                                        make_fake_model, make_keras_model):
    run_ours(2, drive_fit, make_fake_model, clock)
    ours = capsys.readouterr().out
    assert ours.splitlines() == [
        "Epoch 1/2", "4/4 - 1s - 250ms/step - loss: 0.5000 - mae: 0.2500",
        "Epoch 2/2", "4/4 - 1s - 250ms/step - loss: 0.1250 - mae: 5.0000e-04",
    ]
    theirs = run_keras(2, drive_fit, make_keras_model, capsys)
    assert without_times(ours) == without_times(theirs)


def test_verbose_2_needs_no_batch_hooks_unless_steps_are_unknown():
    logger = ProgbarLogger()
    logger.set_params({"verbose": 2, "epochs": 1, "steps": 10})
    assert not logger.needs_batch_hooks("train")
    logger.set_params({"verbose": 2, "epochs": 1, "steps": None})
    assert logger.needs_batch_hooks("train")
    logger.set_params({"verbose": 0, "epochs": 1, "steps": 10})
    assert not logger.needs_batch_hooks("predict")
    logger.set_params({"verbose": "auto", "epochs": 1, "steps": 10})
    assert logger.verbose == 1 and logger.needs_batch_hooks("train")


def test_verbose_2_learns_an_unknown_step_count(capsys, clock, drive_fit, make_fake_model):
    model = make_fake_model()
    callbacks = CallbackList(add_progbar=True, model=model, verbose=2, epochs=2, steps=None)
    capsys.readouterr()
    drive_fit(callbacks, model, EPOCH_LOGS, steps=3)
    lines = capsys.readouterr().out.splitlines()
    assert [line[:6] for line in lines] == ["Epoch ", "3/3 - ", "Epoch ", "3/3 - "]


def test_verbose_1_on_a_terminal_redraws_in_place_like_keras(capsys, clock, monkeypatch,
                                                             drive_fit, make_fake_model,
                                                             make_keras_model):
    screen, captured = TTYBuffer(), sys.stdout
    monkeypatch.setattr(sys, "stdout", screen)
    run_ours(1, drive_fit, make_fake_model, clock)
    monkeypatch.setattr(sys, "stdout", captured)
    ours = screen.getvalue()
    epoch_one = ours.split("\n")[1]
    assert epoch_one.count("\r") == 5  # 4 batch updates and the final one, in place
    assert "\x1b[32m" in ours and "\x1b[1m" in ours  # Keras's colours on a terminal
    frames = epoch_one.split("\r")[1:]
    assert re.sub(r"\x1b\[[0-9;]*m", "", frames[1]).startswith(
        "2/4 ━━━━━━━━━━━━━━━━━━━━ 0s 250ms/step - loss: 0.5000 - mae: 0.5000")
    theirs = run_keras(1, drive_fit, make_keras_model, capsys)

    def visible(frames):  # Keras pads a shorter redraw with spaces that depend on timing
        return [line.rstrip() for line in without_times("\n".join(frames)).split("\n")]

    assert visible(final_frames(ours)) == visible(final_frames(theirs))


def test_verbose_1_shows_the_eta_and_pads_shorter_lines(monkeypatch, clock):
    screen = TTYBuffer()
    monkeypatch.setattr(sys, "stdout", screen)
    bar = Progbar(target=100, stateful_metrics=["loss"])
    clock[0] += 0.1
    bar.update(1, [("loss", 123.0)])
    clock[0] += 0.1
    bar.update(2, [("loss", 1.0)])
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    first, second = plain.split("\r")[1:]
    assert first.startswith("  1/100 ━━━━━━━━━━━━━━━━━━━━ 9s 100ms/step - loss: 123.0000")
    assert second.startswith("  2/100 ━━━━━━━━━━━━━━━━━━━━ 9s 100ms/step - loss: 1.0000")
    assert len(second) == len(first)  # padded with spaces over the longer previous line


def test_verbose_1_in_a_log_file_prints_one_plain_line_per_epoch(capsys, clock, drive_fit,
                                                                make_fake_model):
    assert not sys.stdout.isatty()
    run_ours(1, drive_fit, make_fake_model, clock)
    out = capsys.readouterr().out
    assert not re.search(r"[\r\b\x1b]", out)
    assert out.splitlines() == [
        "Epoch 1/2",
        "4/4 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - loss: 0.5000 - mae: 0.2500",
        "Epoch 2/2",
        "4/4 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - loss: 0.1250 - mae: 5.0000e-04",
    ]


def test_verbose_0_prints_nothing(capsys, drive_fit, make_fake_model):
    run_ours(0, drive_fit, make_fake_model, [0.0])
    assert capsys.readouterr().out == ""


def test_evaluate_and_predict_show_a_bar_but_validation_in_fit_is_silent(capsys, clock):
    logger = ProgbarLogger()
    callbacks = CallbackList([logger], verbose=1, epochs=1, steps=2)
    callbacks.on_test_begin()
    for step in range(2):
        callbacks.on_test_batch_end(step, {"loss": 0.5})
    callbacks.on_test_end({"loss": 0.5})
    callbacks.on_predict_begin()
    for step in range(2):
        callbacks.on_predict_batch_end(step, {"outputs": [[1.0]]})
    callbacks.on_predict_end()
    assert capsys.readouterr().out.splitlines() == [
        "2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 0s/step - loss: 0.5000",
        "2/2 ━━━━━━━━━━━━━━━━━━━━ 0s 0s/step",
    ]
    callbacks.on_train_begin()
    assert not callbacks.needs_batch_hooks("test")
    callbacks.on_test_begin()
    callbacks.on_test_batch_end(0, {"loss": 0.5})
    callbacks.on_test_end({"loss": 0.5})
    assert capsys.readouterr().out == ""
    callbacks.on_train_end()
    assert callbacks.needs_batch_hooks("test")


def test_unknown_target_on_a_terminal(monkeypatch, clock):
    screen = TTYBuffer()
    monkeypatch.setattr(sys, "stdout", screen)
    bar = Progbar(target=None)
    clock[0] += 0.3
    bar.update(3, [("loss", 2.0)])
    assert re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue()).startswith(
        "\r      3/Unknown 0s 100ms/step - loss: 2.0000")


def test_progbar_averages_stateless_metrics_like_keras(capsys, clock):
    bar = Progbar(target=3, verbose=2)
    k_bar = keras.utils.Progbar(target=3, verbose=2)
    for step, loss in enumerate([3.0, 1.0, 2.0], start=1):
        bar.update(step, [("loss", loss)], finalize=False)
        k_bar.update(step, [("loss", loss)], finalize=False)
    bar.add(0, [("loss", 2.0)])
    k_bar.add(0, [("loss", 2.0)])
    assert bar._values == k_bar._values
    bar = Progbar(target=2, verbose=2, stateless_metrics=["mae"])
    bar.update(1, [("loss", 4.0), ("mae", 4.0)])
    bar.update(2, [("loss", 2.0), ("mae", 2.0)], finalize=False)
    assert bar._values == {"loss": [2.0, 1], "mae": [6.0, 2]}


def test_durations_over_a_minute_and_an_hour(monkeypatch, clock):
    screen = TTYBuffer()
    monkeypatch.setattr(sys, "stdout", screen)
    bar = Progbar(target=100000)
    clock[0] += 0.1
    bar.update(1)
    clock[0] += 0.1
    bar.update(2)  # 0.1 s per step, 99998 steps left
    bar2 = Progbar(target=1000)
    clock[0] += 0.1
    bar2.update(1)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    assert " 2:46:39 100ms/step" in plain and " 1:39 " in plain


def test_a_stream_that_cannot_encode_the_bar_gets_ascii(monkeypatch, clock):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    Progbar(target=1).update(1)
    stream.seek(0)
    assert stream.read().startswith("1/1 ====================")


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match=r"ProgbarLogger: unsupported count_mode.*"
                                         r"Received: count_mode='samples'"):
        ProgbarLogger(count_mode="samples")
    with pytest.raises(ValueError, match=r"Progbar: both stateful_metrics and stateless_metrics"
                                         r".*Received: stateful_metrics=\['a'\]"):
        Progbar(target=1, stateful_metrics=["a"], stateless_metrics=["b"])
