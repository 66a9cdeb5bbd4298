"""Interrupt scenarios run in a child process (a real SIGINT must not reach pytest itself).

Run as `python -m tests.training.interrupt_scenarios <name>`; prints `OK` when every check holds.
"""

import signal
import sys

import numpy as np

import kernelkit as kk
from kernelkit.training.session import InterruptGuard


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


def stop_at_step_boundary():
    x, y = _data()
    model = _build()
    spy = InterruptAt(step=3)
    previous = signal.getsignal(signal.SIGINT)
    try:
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[spy])
        raise AssertionError("fit did not raise KeyboardInterrupt")
    except KeyboardInterrupt as e:
        assert "interrupted" in str(e), e
    assert signal.getsignal(signal.SIGINT) is previous
    assert spy.batches == 3, spy.batches  # no step ran after the interrupt
    assert spy.events == [("epoch_end", 0), ("train_end", ["loss", "mae"])], spy.events
    for ours, expected in zip(model.get_weights(), spy.weights):
        np.testing.assert_array_equal(ours, expected)
    assert int(model.optimizer.iterations) == 3
    h = model.fit(x, y, epochs=2, batch_size=8, verbose=0)  # training can go on
    assert len(h.history["loss"]) == 2
    assert int(model.optimizer.iterations) == 3 + 16


def second_sigint_interrupts_at_once():
    guard = InterruptGuard()
    with guard:
        signal.raise_signal(signal.SIGINT)
        assert guard.requested
        try:
            signal.raise_signal(signal.SIGINT)
            raise AssertionError("the second SIGINT did not interrupt")
        except KeyboardInterrupt:
            pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


if __name__ == "__main__":
    {"stop_at_step_boundary": stop_at_step_boundary,
     "second_sigint_interrupts_at_once": second_sigint_interrupts_at_once}[sys.argv[1]]()
    print("OK")
