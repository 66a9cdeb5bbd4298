"""The path of a warm `fit()` through kernelkit stays short (issue #18: about 10 files of the
training machinery), so a contributor can trace one call."""

from __future__ import annotations

import os
import sys

import numpy as np

import kernelkit as kk
from kernelkit import layers

_ROOT = os.path.dirname(kk.__file__)


def _files_called(fn) -> set[str]:
    """The kernelkit files (relative paths) with a Python function called during `fn()`."""
    seen: set[str] = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(_ROOT):
            seen.add(os.path.relpath(frame.f_code.co_filename, _ROOT))

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return seen


def test_a_warm_fit_calls_into_at_most_ten_training_and_data_files():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    y = rng.integers(0, 3, 64)
    model = kk.Sequential([layers.Input((6,)), layers.Dense(8, activation="relu"),
                           layers.Dense(3)])
    model.compile("adam", kk.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    files = _files_called(lambda: model.fit(x, y, epochs=1, batch_size=16, verbose=0))
    machinery = sorted(f for f in files if f.startswith(("training/", "data/")))
    assert "training/fit_loop.py" in machinery and "training/session.py" in machinery
    assert len(machinery) <= 10, machinery
