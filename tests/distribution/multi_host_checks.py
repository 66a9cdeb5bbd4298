"""One of two local processes joined by `kernelkit.distribution.initialize` (2 CPU devices
each, 4 in all) training a `DataParallel` model; run by `test_multi_host.py`.

Usage: `python multi_host_checks.py <process_id> <port>`; prints one JSON report: the
process's view of the run, its weights after training, and the same model trained on one
local device without a distribution.
"""

from __future__ import annotations

import json
import os
import sys

process_id, port = int(sys.argv[1]), sys.argv[2]
os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
os.environ["KERAS_DISTRIBUTION_JOB_ADDRESSES"] = f"127.0.0.1:{port}"  # Keras 3's variables
os.environ["KERAS_DISTRIBUTION_NUM_PROCESSES"] = "2"
os.environ["KERAS_DISTRIBUTION_PROCESS_ID"] = str(process_id)
sys.path.insert(0, os.getcwd())

import jax  # noqa: E402
import numpy as np  # noqa: E402

import kernelkit as kk  # noqa: E402

kk.distribution.initialize()
seed_after_initialize = kk.random.draw_seed()  # no seed set: process 0's is everyone's
rng = np.random.default_rng(0)
X = rng.normal(size=(128, 8)).astype("float32")
Y = rng.normal(size=(128, 2)).astype("float32")


def train(distribution):
    kk.utils.set_random_seed(3)  # the same initial weights in every process
    with distribution.scope() if distribution is not None else kk.distribution.DataParallel(
            devices=jax.local_devices()[:1]).scope():
        model = kk.Sequential([kk.Input((8,)), kk.layers.Dense(16, activation="relu"),
                               kk.layers.Dense(2)])
        model.compile("adam", "mse", steps_per_execution=2)
        history = model.fit(X, Y, batch_size=16, epochs=2, verbose=0, shuffle=False)
        return model, history.history["loss"], [w.tolist() for w in model.get_weights()]


dp = kk.distribution.DataParallel()
model, loss, weights = train(dp)
_, loss_one, weights_one = train(None)
print(json.dumps({
    "process_id": process_id, "seed": seed_after_initialize, "process_count": jax.process_count(),
    "devices": len(kk.distribution.list_devices()), "mesh": list(dp.device_mesh.shape),
    "num_processes": dp.num_processes, "data_shard_id": dp.data_shard_id,
    "kernel_devices": len(model.weights[0].value.sharding.device_set),
    "loss": loss, "weights": weights, "loss_one": loss_one, "weights_one": weights_one}))
