"""One of two local processes (2 CPU devices each) that each hold a DIFFERENT half of the data
and train one `DataParallel` model on it, Keras 3's per-host semantics; run by
`test_host_data.py`.

Usage: `python host_data_checks.py <process_id> <port>`; prints one JSON report: the
shares `distribute_dataset` gave, the weights after a per-host fit, the same model fitted
on one local device on the interleaved global batches, evaluate / predict / *_on_batch
results, and the messages of the refused calls.
"""

from __future__ import annotations

import json
import os
import sys

process_id, port = int(sys.argv[1]), sys.argv[2]
os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
sys.path.insert(0, os.getcwd())

import jax  # noqa: E402
import numpy as np  # noqa: E402

import kernelkit as kk  # noqa: E402
from kernelkit.distribution import host_data  # noqa: E402

kk.distribution.initialize(f"127.0.0.1:{port}", 2, process_id)
B = 8  # the batch size per process; the global batch is 16
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 8)).astype("float32")  # the global data, the same in both
Y = rng.normal(size=(64, 2)).astype("float32")
report = {"process_id": process_id}


def message(call):
    try:
        call()
    except ValueError as e:
        return str(e)
    return None


def build():
    kk.utils.set_random_seed(3)  # the same initial weights in every process
    model = kk.Sequential([kk.Input((8,)), kk.layers.Dense(16, activation="relu", name="hidden"),
                           kk.layers.Dense(2, name="out")])
    model.compile("adam", "mse", steps_per_execution=2)
    return model


def forward(weights, x):
    k1, b1, k2, b2 = weights
    return np.maximum(x @ k1 + b1, 0) @ k2 + b2


dispatched = []  # (steps run, batches stacked) of each dispatch of array data
_dispatch = host_data.HostArrays._dispatch


def counting(self, order, execution, group):
    dispatch = _dispatch(self, order, execution, group)
    dispatched.append([dispatch.steps, jax.tree_util.tree_leaves(dispatch.batches)[0].shape[0]])
    return dispatch


host_data.HostArrays._dispatch = counting
dp = kk.distribution.DataParallel()  # 4 devices, 2 per process
x_local, y_local = dp.distribute_dataset((X, Y))  # this process's contiguous half
report["shard"] = [list(x_local.shape), float(x_local[0, 0]), float(y_local[-1, 1])]
report["unsharded"] = kk.distribution.DataParallel(
    auto_shard_dataset=False).distribute_dataset(X) is X
report["refused_generator"] = message(lambda: dp.distribute_dataset(iter([X])))
with dp.scope():
    model = build()
    history = model.fit(x_local, y_local, batch_size=B, epochs=3, verbose=0, shuffle=False)
    report["loss"] = history.history["loss"]
    report["fit_dispatches"] = list(dispatched)
    report["fit_programs"] = model.make_train_function()._train_looped._cache_size()
    report["weights"] = [w.tolist() for w in model.get_weights()]
    report["evaluate"] = model.evaluate(x_local, y_local, batch_size=B, verbose=0)
    report["evaluate_streamed"] = model.evaluate(
        iter([(x_local[i:i + B], y_local[i:i + B]) for i in range(0, 32, B)]), verbose=0)
    report["evaluate_partial"] = model.evaluate(x_local[:30], y_local[:30], batch_size=B,
                                                verbose=0)  # a last batch of 6 + 6
    report["test_on_batch"] = model.test_on_batch(x_local[:B], y_local[:B])
    report["refused_local_batch"] = message(lambda: model.test_on_batch(x_local[:3],
                                                                        y_local[:3]))
    report["refused_last_batch"] = message(lambda: model.evaluate(
        x_local[:29], y_local[:29], batch_size=B, verbose=0))
    report["predict"] = model.predict(x_local, batch_size=B, verbose=0).tolist()
    report["predict_on_batch"] = model.predict_on_batch(x_local[:B]).tolist()
    report["refused_steps"] = message(lambda: model.evaluate(
        x_local[:32 - 8 * process_id], y_local[:32 - 8 * process_id], batch_size=B, verbose=0))
    report["refused_sizes"] = message(lambda: model.evaluate(
        x_local[:30 - 2 * process_id], y_local[:30 - 2 * process_id], batch_size=B, verbose=0))
    report["refused_batch"] = message(lambda: model.fit(x_local, y_local, batch_size=3,
                                                        verbose=0))
    shuffled = build()  # shuffle=True: each process permutes its own half; each validates
    val_loss = shuffled.fit(x_local, y_local, batch_size=B, epochs=2, verbose=0,  # on its end
                            validation_split=0.25).history["val_loss"]
    report["shuffled_weights"] = [w.tolist() for w in shuffled.get_weights()]
    report["val_loss"] = val_loss[-1]

mesh = kk.distribution.DeviceMesh((2, 2), ["batch", "model"])  # a process per batch row
layout_map = kk.distribution.LayoutMap(mesh)
layout_map["hidden/kernel"] = (None, "model")  # split across each process's 2 devices
layout_map["hidden/bias"] = ("model",)
mp = kk.distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
mp_x, mp_y = mp.distribute_dataset((X, Y))
report["mp_shard_is_half"] = bool(np.array_equal(mp_x, x_local))
with mp.scope():
    split = build()
    split.fit(mp_x, mp_y, batch_size=B, epochs=3, verbose=0, shuffle=False)
    report["mp_weights"] = [w.tolist() for w in split.get_weights()]
    report["mp_kernel_spec"] = list(split.get_layer("hidden").kernel.value.sharding.spec)
    report["mp_predict"] = split.predict(mp_x, batch_size=B, verbose=0).tolist()
    report["mp_expected_predict"] = forward(split.get_weights(), mp_x).tolist()

# one device of this process, the global batches built by interleaving the two halves
halves = (X[:32], X[32:]), (Y[:32], Y[32:])
X_one, Y_one = (np.concatenate([part for i in range(0, 32, B) for part in (a[i:i + B], b[i:i + B])])
                for a, b in halves)
with kk.distribution.DataParallel(devices=jax.local_devices()[:1]).scope():
    one = build()
    report["loss_one"] = one.fit(X_one, Y_one, batch_size=2 * B, epochs=3, verbose=0,
                                 shuffle=False).history["loss"]
    report["weights_one"] = [w.tolist() for w in one.get_weights()]

weights = model.get_weights()
report["expected_evaluate"] = float(np.mean((forward(weights, X) - Y) ** 2))
report["expected_evaluate_partial"] = float(np.mean((forward(
    weights, np.concatenate([X[:30], X[32:62]])) - np.concatenate([Y[:30], Y[32:62]])) ** 2))
report["expected_test_on_batch"] = float(np.mean((forward(weights, np.concatenate(
    [X[:B], X[32:32 + B]])) - np.concatenate([Y[:B], Y[32:32 + B]])) ** 2))
report["expected_predict"] = forward(weights, x_local).tolist()
val_x, val_y = np.concatenate([X[24:32], X[56:]]), np.concatenate([Y[24:32], Y[56:]])
report["expected_val_loss"] = float(np.mean((forward(shuffled.get_weights(), val_x) - val_y) ** 2))
print(json.dumps(report))
