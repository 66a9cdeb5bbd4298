"""`fit(..., background=True)`: a handle over a training thread."""

import threading

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.training.background_fit import BackgroundFit


def _model():
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _data(n=64):
    x = np.random.default_rng(0).random((n, 4)).astype("float32")
    return x, x.sum(1, keepdims=True)


class _Gate(kk.callbacks.Callback):
    """Blocks training at the first batch until released, so the test controls timing."""

    def __init__(self):
        super().__init__()
        self.reached, self.release = threading.Event(), threading.Event()

    def on_train_batch_end(self, batch, logs=None):
        self.reached.set()
        self.release.wait(30)


def test_background_fit_returns_a_handle_and_wait_gives_the_history():
    model = _model()
    run = model.fit(*_data(), epochs=3, batch_size=16, verbose=0, background=True)
    assert isinstance(run, BackgroundFit)
    history = run.wait(timeout=120)
    assert run.done and run.exception is None and len(history.history["loss"]) == 3
    assert run.history is history


def test_stop_ends_training_early_and_a_second_fit_is_refused():
    model, gate = _model(), _Gate()
    run = model.fit(*_data(), epochs=50, batch_size=8, verbose=0, callbacks=[gate],
                    background=True)
    assert gate.reached.wait(60) and not run.done
    with pytest.raises(RuntimeError, match="still running. Expected one fit at a time"):
        model.fit(*_data(), verbose=0, background=True)
    run.stop()
    gate.release.set()
    history = run.wait(timeout=120)
    assert len(history.history["loss"]) == 1
    assert not model._stop_requested  # reset for the next fit
    assert len(model.fit(*_data(), epochs=2, verbose=0, background=True).wait(120)
               .history["loss"]) == 2


def test_errors_are_kept_and_reraised_by_wait():
    model = _model()
    run = model.fit(np.ones((8, 4)), np.ones((9, 1)), verbose=0, background=True)
    with pytest.raises(ValueError):
        run.wait(timeout=60)
    assert isinstance(run.exception, ValueError)


def test_wait_timeout_raises():
    model, gate = _model(), _Gate()
    run = model.fit(*_data(), epochs=2, batch_size=8, verbose=0, callbacks=[gate],
                    background=True)
    try:
        with pytest.raises(TimeoutError, match="still running after 0.01 seconds"):
            run.wait(timeout=0.01)
    finally:
        gate.release.set()
        run.wait(120)
