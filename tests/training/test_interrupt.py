"""A kernel interrupt (SIGINT) during `fit` stops at a step boundary, cleanly."""

import signal

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.training.interrupt import InterruptGuard


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _build():
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    model.compile("adam", "mse", metrics=["mae"])
    return model


class InterruptAt(kk.callbacks.Callback):
    def __init__(self, step):
        super().__init__()
        self.step, self.weights, self.events = step, None, []
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        if self.batches == self.step:
            self.weights = self.model.get_weights()
            signal.raise_signal(signal.SIGINT)

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch))

    def on_train_end(self, logs=None):
        self.events.append(("train_end", sorted(logs or {})))


def test_sigint_stops_at_a_step_boundary_and_fit_raises_after_cleanup():
    x, y = _data()
    model = _build()
    spy = InterruptAt(step=3)
    previous = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt, match="interrupted"):
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[spy])
    assert signal.getsignal(signal.SIGINT) is previous
    assert spy.batches == 3  # no step ran after the interrupt
    assert spy.events == [("epoch_end", 0), ("train_end", ["loss", "mae"])]
    for ours, expected in zip(model.get_weights(), spy.weights):
        np.testing.assert_array_equal(ours, expected)
    assert int(model.optimizer.iterations) == 3
    h = model.fit(x, y, epochs=2, batch_size=8, verbose=0)  # training can go on
    assert len(h.history["loss"]) == 2
    assert int(model.optimizer.iterations) == 3 + 16


def test_a_second_sigint_interrupts_at_once():
    guard = InterruptGuard()
    with guard:
        signal.raise_signal(signal.SIGINT)
        assert guard.requested
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_stop_training_from_a_callback_does_not_raise():
    x, y = _data()
    model = _build()

    class Stop(kk.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = True

    h = model.fit(x, y, epochs=4, verbose=0, callbacks=[Stop()])
    assert len(h.history["loss"]) == 1
