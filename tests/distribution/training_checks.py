"""Checks of training under DataParallel / ModelParallel, run on 8 forced CPU devices.

Run by `test_training.py` in a subprocess (`multi_device.run_checks`); prints one JSON
report. Each value is plain data the test asserts on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import jax
import numpy as np

sys.path.insert(0, os.getcwd())
import kernelkit as kk  # noqa: E402
from kernelkit import distribution as D  # noqa: E402

report = {"device_count": jax.device_count()}
rng = np.random.default_rng(0)
X = rng.normal(size=(200, 16)).astype("float32")  # 200 = 6 batches of 32 and one of 8
Y = rng.normal(size=(200, 4)).astype("float32")


def make(spe, seed=7, units=4):
    kk.utils.set_random_seed(seed)
    model = kk.Sequential([kk.Input((16,)), kk.layers.Dense(32, activation="relu", name="dense"),
                           kk.layers.Dense(units, name="out")])
    model.compile(kk.optimizers.Adam(1e-2), "mse", metrics=["mae"], steps_per_execution=spe)
    return model


class LogRecorder(kk.callbacks.Callback):
    """What callbacks see: each batch's and each epoch's logs, with the Python type of each."""

    def __init__(self):
        super().__init__()
        self.batches, self.epochs, self.types = [], [], set()

    def _keep(self, into, logs):
        into.append(dict(logs))
        self.types |= {type(v).__name__ for v in logs.values()}

    def on_train_batch_end(self, batch, logs=None):
        self._keep(self.batches, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._keep(self.epochs, logs)


def train(dist, spe):
    """Weights after 3 shuffled epochs, evaluate's logs, predictions (all as lists)."""
    recorder = LogRecorder()
    with dist.scope() if dist is not None else _nothing():
        model = make(spe)
        history = model.fit(X, Y, batch_size=32, epochs=3, verbose=0, shuffle=True,
                            callbacks=[recorder])
        logs = model.evaluate(X, Y, batch_size=32, verbose=0, return_dict=True)
        pred = model.predict(X, batch_size=40, verbose=0)
    logs["callbacks"] = {"batches": recorder.batches, "epochs": recorder.epochs,
                         "types": sorted(recorder.types), "history": history.history}
    return model, [w.tolist() for w in model.get_weights()], logs, pred.tolist()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def spec_of(array):
    sharding = array.sharding
    return {"replicated": bool(sharding.is_fully_replicated),
            "spec": [None if a is None else str(a) for a in getattr(sharding, "spec", ())],
            "devices": len(sharding.device_set)}


def equivalent(array, layout):
    return bool(array.sharding.is_equivalent_to(layout.backend_layout, array.ndim))


# ---- DataParallel on 8 devices against one device -------------------------------------------
for spe in (1, 4):
    _, w1, logs1, pred1 = train(None, spe)
    dp = D.DataParallel()
    model, w8, logs8, pred8 = train(dp, spe)
    report[f"dp_spe{spe}"] = {"one": w1, "dist": w8, "logs_one": logs1, "logs_dist": logs8,
                              "pred_one": pred1, "pred_dist": pred8,
                              "weights": [spec_of(v.value) for v in model.weights],
                              "slots": [spec_of(v.value) for v in model.optimizer.variables]}

# the compiled step computes on an eighth of each batch per device
dp = D.DataParallel()
with dp.scope():
    model = make(4)
    model.fit(X, Y, batch_size=32, epochs=1, verbose=0)
    fns = model.make_train_function().fns
    from kernelkit.training.session import TrainingSession  # noqa: E402

    session = TrainingSession(model, fns)
    batch = (jax.numpy.asarray(X[:32]), jax.numpy.asarray(Y[:32]), None)
    text = jax.jit(fns._raw["test_once"]).lower(session.params, session.rest, session.metrics,
                                               batch).compile().as_text()
report["per_device_batch_in_hlo"] = "f32[4,16]" in text



# ---- no more compilations under a distribution than on one device ---------------------------
def compiled_programs(dist):
    with dist.scope() if dist is not None else _nothing():
        model = make(4)
        for _ in range(2):
            model.fit(X, Y, batch_size=32, epochs=2, verbose=0, validation_data=(X, Y))
        model.predict(X, batch_size=40, verbose=0)
        fns = model.make_train_function().fns
        return {name: getattr(fns, name)._cache_size() for name in
                ("_train_looped", "_train_unrolled", "test_arrays", "predict_once")}


report["compiles"] = {"one": compiled_programs(None), "dist": compiled_programs(D.DataParallel())}

# ---- the *_on_batch methods -----------------------------------------------------------------
on_batch = {}
for name, dist in (("one", None), ("dist", D.DataParallel())):
    with dist.scope() if dist is not None else _nothing():
        model = make(1)
        logs = [model.train_on_batch(X[i:i + 32], Y[i:i + 32]) for i in range(0, 96, 32)]
        on_batch[name] = {"train": logs, "test": model.test_on_batch(X[:64], Y[:64]),
                          "predict": model.predict_on_batch(X[:16]).tolist(),
                          "weights": [w.tolist() for w in model.get_weights()]}
report["on_batch"] = on_batch

# ---- ModelParallel: Dense kernel 2-way, batch 4-way ------------------------------------------
mesh = D.DeviceMesh((4, 2), ["batch", "model"])
layout_map = D.LayoutMap(mesh)
layout_map["dense/kernel"] = (None, "model")
layout_map["dense/bias"] = ("model",)
mp = D.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
with mp.scope():
    fresh = make(4)
    kernel = fresh.get_layer("dense").kernel
report["mp_created"] = {"kernel_as_map": equivalent(kernel.value, layout_map["dense/kernel"]),
                        "kernel": spec_of(kernel.value)}
_, w1, logs1, _ = train(None, 4)
model, wmp, logsmp, _ = train(mp, 4)
dense = model.get_layer("dense")
slots = {v.path: v.value for v in model.optimizer.variables}
report["mp_trained"] = {
    "one": w1, "dist": wmp, "logs_one": logs1, "logs_dist": logsmp,
    "kernel_as_map": equivalent(dense.kernel.value, layout_map["dense/kernel"]),
    "bias_as_map": equivalent(dense.bias.value, layout_map["dense/bias"]),
    "out_kernel": spec_of(model.get_layer("out").kernel.value),
    "kernel_slots_as_map": [equivalent(a, layout_map["dense/kernel"])
                            for p, a in slots.items() if "dense_kernel" in p]}

# ---- saving under ModelParallel, loading on one device and back -------------------------------
tmp = tempfile.mkdtemp()
with mp.scope():
    model.save_weights(os.path.join(tmp, "mp.weights.h5"))
    model.save(os.path.join(tmp, "mp.keras"))
    x_pred = model.predict(X[:16], verbose=0).tolist()
loaded = kk.models.load_model(os.path.join(tmp, "mp.keras"))
single = make(4, seed=99)
single.load_weights(os.path.join(tmp, "mp.weights.h5"))
single.save_weights(os.path.join(tmp, "one.weights.h5"))
with mp.scope():
    back = make(4, seed=5)
    back.load_weights(os.path.join(tmp, "one.weights.h5"))
    back_keras = kk.models.load_model(os.path.join(tmp, "mp.keras"))
    back_pred = back.predict(X[:16], verbose=0).tolist()
report["saving"] = {
    "saved": wmp, "keras_one_device": [w.tolist() for w in loaded.get_weights()],
    "h5_one_device": [w.tolist() for w in single.get_weights()],
    "one_device_on_one": all(len(v.value.sharding.device_set) == 1 for v in loaded.weights),
    "h5_back_under_mp": [w.tolist() for w in back.get_weights()],
    "back_kernel_as_map": equivalent(back.get_layer("dense").kernel.value,
                                     layout_map["dense/kernel"]),
    "keras_back_kernel_as_map": equivalent(back_keras.get_layer("dense").kernel.value,
                                           layout_map["dense/kernel"]),
    "pred_mp": x_pred, "pred_one": loaded.predict(X[:16], verbose=0).tolist(),
    "pred_back": back_pred}


# ---- bad input ---------------------------------------------------------------------------------
def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the report names the type
        return {"type": type(e).__name__, "message": str(e)}
    return None


def fit_with(layout, batch_size=32, key="dense/kernel", units=4):
    lm = D.LayoutMap(mesh)
    lm[key] = layout
    with D.ModelParallel(layout_map=lm).scope():
        model = make(1, units=units)
        model.fit(X, Y[:, :1].repeat(units, 1), batch_size=batch_size, epochs=1, verbose=0)


report["errors"] = {
    "mesh_too_large": error_of(lambda: D.DeviceMesh((16,), ["batch"])),
    "rank": error_of(lambda: fit_with(("model",))),
    "indivisible_axis": error_of(lambda: fit_with((None, "batch"), key="out/kernel", units=6)),
    "stray_key": error_of(lambda: fit_with((None, "model"), key="dense_99/kernel")),
    "batch_size": error_of(lambda: fit_with((None, "model"), batch_size=30)),
}
with D.DataParallel().scope():
    report["errors"]["dp_batch_size"] = error_of(
        lambda: make(1).fit(X, Y, batch_size=20, epochs=1, verbose=0))
    report["errors"]["dp_predict_batch_size"] = error_of(
        lambda: make(1).predict(X, batch_size=12, verbose=0))
report["after_scope"] = D.distribution() is None
print(json.dumps(report))
