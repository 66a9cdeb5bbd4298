"""A kernel interrupt (SIGINT) during `fit` stops at a step boundary, cleanly."""

import subprocess
import sys
from pathlib import Path

import numpy as np

import kernelkit as kk


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _build():
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    model.compile("adam", "mse", metrics=["mae"])
    return model


def _run_scenario(name):
    """Runs a scenario of interrupt_scenarios.py in a child process: a real SIGINT must not
    reach the pytest process (or its xdist worker)."""
    result = subprocess.run([sys.executable, "-m", "tests.training.interrupt_scenarios", name],
                            capture_output=True, text=True, timeout=300,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0 and result.stdout.strip().endswith("OK"), (
        result.stdout + result.stderr)


def test_sigint_stops_at_a_step_boundary_and_fit_raises_after_cleanup():
    _run_scenario("stop_at_step_boundary")


def test_a_second_sigint_interrupts_at_once():
    _run_scenario("second_sigint_interrupts_at_once")


def test_stop_training_from_a_callback_does_not_raise():
    x, y = _data()
    model = _build()

    class Stop(kk.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = True

    h = model.fit(x, y, epochs=4, verbose=0, callbacks=[Stop()])
    assert len(h.history["loss"]) == 1
