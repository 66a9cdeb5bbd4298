"""Checks of `BackupAndRestore` under DataParallel / ModelParallel on 8 forced CPU devices.

Run by `test_backup.py` in a subprocess (`multi_device.run_checks`); prints one JSON report.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.getcwd())
import kernelkit as kk  # noqa: E402
from kernelkit import distribution as D  # noqa: E402

rng = np.random.default_rng(0)
X = rng.normal(size=(64, 16)).astype("float32")
Y = rng.normal(size=(64, 4)).astype("float32")


class Crash(Exception):
    pass


class EpochsRun(kk.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)


class CrashAfter(kk.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            raise Crash


def make():
    kk.utils.set_random_seed(7)
    model = kk.Sequential([kk.Input((16,)), kk.layers.Dense(32, activation="relu", name="dense"),
                           kk.layers.Dense(4, name="out")])
    model.compile(kk.optimizers.Adam(1e-2), "mse")
    return model


def placement(array):
    sharding = array.sharding
    return {"replicated": bool(sharding.is_fully_replicated),
            "spec": [None if a is None else str(a) for a in getattr(sharding, "spec", ())]}


class _OneDevice:
    """No distribution (the same `scope()` interface)."""

    def scope(self):
        import contextlib

        return contextlib.nullcontext()


def interrupted_and_resumed(dist, resume_under=None, shuffle=False):
    """Trains 3 epochs uninterrupted, and again crashing after epoch 2 and resuming from the
    backup (under `resume_under`, by default the same distribution)."""
    resume_under = resume_under or dist
    backup = tempfile.mkdtemp()
    fit = {"x": X, "y": Y, "batch_size": 16, "epochs": 3, "verbose": 0, "shuffle": shuffle}
    with dist.scope():
        reference = make()
        reference.fit(**fit)
        model = make()
        try:
            model.fit(**fit, callbacks=[kk.callbacks.BackupAndRestore(backup), CrashAfter()])
        except Crash:
            pass
    with resume_under.scope():
        resumed, ran = make(), EpochsRun()
        resumed.fit(**fit, callbacks=[kk.callbacks.BackupAndRestore(backup), ran])
        devices = {len(w.value.sharding.device_set) for w in resumed.weights}
    gap = max(float(np.max(np.abs(a - b)))
              for a, b in zip(reference.get_weights(), resumed.get_weights()))
    return {"gap": gap, "resumed_epochs": ran.epochs, "devices": sorted(devices),
            "reference_kernel": reference.get_weights()[0].ravel()[:8].tolist(),
            "iterations": [int(reference.optimizer.iterations), int(resumed.optimizer.iterations)],
            "weights": {w.path: placement(w.value) for w in resumed.weights},
            "slots": {v.path: placement(v.value) for v in resumed.optimizer.variables
                      if v.value.ndim > 0}}


mesh = D.DeviceMesh((4, 2), ["batch", "model"])
layout_map = D.LayoutMap(mesh)
layout_map["dense/kernel"] = (None, "model")
model_parallel = D.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
report = {
    "dp": interrupted_and_resumed(D.DataParallel()),
    "mp": interrupted_and_resumed(model_parallel),
    "dp_shuffled": interrupted_and_resumed(D.DataParallel(), shuffle=True),
    "mp_to_one_device": interrupted_and_resumed(model_parallel, _OneDevice()),
    "one_device_to_mp": interrupted_and_resumed(_OneDevice(), model_parallel),
    "mp_to_dp": interrupted_and_resumed(model_parallel, D.DataParallel()),
}
print(json.dumps(report))
