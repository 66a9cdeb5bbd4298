"""`kernelkit.distribution` beside Keras 3's `keras.distribution` (JAX backend), 8 CPU devices.

Run by `test_keras_api.py` in a subprocess; every entry of the JSON report is a pair
`[keras, kernelkit]` of plain data (or of error types) that the test compares.
"""

from __future__ import annotations

import json
import os
import sys

import jax
import numpy as np

sys.path.insert(0, os.getcwd())
import kernelkit as kk  # noqa: E402
from tests.keras_oracle import keras  # noqa: E402

KD, OD = keras.distribution, kk.distribution
report = {}


def both(name, fn):
    """Runs `fn(module)` for Keras and kernelkit; records results or error types."""
    out = []
    for module in (KD, OD):
        try:
            out.append(fn(module))
        except Exception as e:  # noqa: BLE001 - the error type is the result
            out.append({"error": type(e).__name__})
    report[name] = out


def sharding_of(array):
    s = array.sharding
    return {"spec": [None if a is None else str(a) for a in s.spec],
            "mesh": dict(s.mesh.shape), "devices": sorted(d.id for d in s.device_set)}


def normalized(sharding):
    """A spec without trailing Nones (`P(None)` and `P()` both replicate a vector;
    kernelkit keeps variables in the short form, the one XLA gives back from a step)."""
    spec = list(sharding["spec"])
    while spec and spec[-1] is None:
        spec.pop()
    return {**sharding, "spec": spec}


both("list_devices", lambda m: m.list_devices())
both("list_devices_cpu", lambda m: m.list_devices("CPU"))
both("device_count", lambda m: m.get_device_count())
both("mesh", lambda m: (lambda mesh: [list(mesh.shape), list(mesh.axis_names),
                                      mesh.devices.shape, str(mesh.devices[1, 0]), repr(mesh)])(
    m.DeviceMesh((4, 2), ["batch", "model"])))
both("mesh_backend", lambda m: (lambda b: [dict(b.shape), [d.id for d in b.devices.flat]])(
    m.DeviceMesh((2, 4), ["batch", "model"], devices=m.list_devices()[::-1]).backend_mesh))
both("mesh_too_large", lambda m: m.DeviceMesh((16,), ["batch"]))
both("mesh_names_mismatch", lambda m: m.DeviceMesh((4, 2), ["batch"]))
both("mesh_empty", lambda m: m.DeviceMesh((), []))


def layout_checks(m):
    mesh = m.DeviceMesh((4, 2), ["batch", "model"])
    layout = m.TensorLayout([None, "model"])
    out = [list(layout.axes), layout.device_mesh is None]
    layout.device_mesh = mesh
    out.append(str(layout.backend_layout.spec))
    try:
        layout.device_mesh = mesh
    except ValueError:
        out.append("set twice: ValueError")
    try:
        m.TensorLayout(("data",), mesh)
    except ValueError:
        out.append("bad axis: ValueError")
    return out


both("layout", layout_checks)

PATHS = ["dense/kernel", "dense_1/kernel", "dense/bias", "conv2d/kernel", "my_model/dense_2/bias",
         "sequential/dense/kernel", "embedding/embeddings"]


def layout_map_checks(m):
    mesh = m.DeviceMesh((4, 2), ["batch", "model"])
    lm = m.LayoutMap(mesh)
    lm[".*dense.*kernel"] = (None, "model")
    lm[".*bias"] = m.TensorLayout(("model",))
    lm["embedding/embeddings"] = ("model", None)
    out = {"lookups": [None if lm[p] is None else list(lm[p].axes) for p in PATHS],
           "mesh_set": lm[".*bias"].device_mesh is mesh, "len": len(lm), "keys": list(lm)}
    for what, fn in [("duplicate", lambda: lm.__setitem__(".*bias", ("model",))),
                     ("list_value", lambda: lm.__setitem__("x", [None, "model"])),
                     ("bad_value", lambda: lm.__setitem__("y", "model"))]:
        try:
            fn()
            out[what] = "accepted"
        except ValueError:
            out[what] = "ValueError"
    lm["dense/.*"] = (None, None)
    try:
        lm["dense/kernel"]
        out["two_matches"] = "accepted"
    except ValueError:
        out["two_matches"] = "ValueError"
    del lm["dense/.*"]
    out["after_del"] = list(lm["dense/kernel"].axes)
    return out


both("layout_map", layout_map_checks)


def distributions(m):
    dp = m.DataParallel()
    dp_devices = m.DataParallel(devices=m.list_devices()[:4])
    mesh = m.DeviceMesh((4, 2), ["data", "model"])
    lm = m.LayoutMap(mesh)
    lm["dense/kernel"] = (None, "model")
    mp = m.ModelParallel(layout_map=lm)
    mp_named = m.ModelParallel(layout_map=lm, batch_dim_name="model")
    return {"dp": [dp.batch_dim_name, list(dp.device_mesh.shape), dp.num_model_replicas,
                   dp.num_processes, dp.data_shard_id, dp.auto_shard_dataset],
            "dp_devices": [list(dp_devices.device_mesh.shape), dp_devices.num_model_replicas],
            "dp_data_layout": list(dp.get_data_layout((32, 3, 5)).axes),
            "mp": [mp.batch_dim_name, mp.num_model_replicas, mp.device_mesh is mesh,
                   mp_named.batch_dim_name, mp_named.num_model_replicas],
            "mp_data_layout": list(mp.get_data_layout((8, 3)).axes),
            "mp_tensor_layout": [list(mp.get_tensor_layout("dense/kernel").axes),
                                 mp.get_tensor_layout("other") is None,
                                 dp.get_tensor_layout("dense/kernel") is None],
            "repr": repr(dp).replace("kernelkit", "keras")}


both("distributions", distributions)
both("mp_without_map", lambda m: m.ModelParallel())
both("dp_bad_mesh", lambda m: m.DataParallel(device_mesh="mesh"))


def scope_checks(m):
    dp = m.DataParallel()
    out = [m.distribution() is None]
    with dp.scope():
        out.append(m.distribution() is dp)
    out.append(m.distribution() is None)
    m.set_distribution(dp)
    out.append(m.distribution() is dp)
    m.set_distribution(None)
    return out


both("scope", scope_checks)


def distribute_checks(m):
    mesh = m.DeviceMesh((4, 2), ["batch", "model"])
    x = np.arange(64, dtype="float32").reshape(8, 8)
    layout = m.TensorLayout(("batch", "model"), mesh)
    eager = m.distribute_tensor(x, layout)
    again = m.distribute_tensor(eager, layout)
    sharding = layout.backend_layout
    traced = jax.jit(lambda a: m.distribute_tensor(a * 2, m.TensorLayout((None, "model"), mesh)))(
        eager)
    jax_sharding = m.distribute_tensor(x, jax.sharding.NamedSharding(
        mesh.backend_mesh, jax.sharding.PartitionSpec("model")))
    return {"eager": sharding_of(eager), "same_object": again is eager,
            "traced": sharding_of(traced), "values": np.asarray(traced).tolist(),
            "jax_sharding": sharding_of(jax_sharding),
            "shard_shape": list(eager.addressable_shards[0].data.shape),
            "sharding_equal": sharding.is_equivalent_to(eager.sharding, 2)}


both("distribute_tensor", distribute_checks)


def model_weights(m):
    """Dense models built under ModelParallel: each weight's sharding, by layer and name.

    Keras 3 prefixes the weights of a Sequential model with the model's name
    (`sequential/dense/kernel`), kernelkit does not, so the keys here are patterns that fit
    both; a functional model has the same paths in both.
    """
    lib = keras if m is KD else kk
    mesh = m.DeviceMesh((4, 2), ["batch", "model"])
    lm = m.LayoutMap(mesh)
    lm["(.*/)?dense/kernel"] = (None, "model")
    lm["(.*/)?dense/bias"] = ("model",)
    lm["hidden/kernel"] = ("model", None)
    with m.ModelParallel(layout_map=lm).scope():
        sequential = lib.Sequential([lib.Input((16,)), lib.layers.Dense(8, name="dense"),
                                     lib.layers.Dense(2, name="out")])
        inputs = lib.Input((6,))
        functional = lib.Model(inputs, lib.layers.Dense(4, name="hidden")(inputs))
    return {"sequential": {v.path.split("/", 1)[-1] if m is KD else v.path:
                           normalized(sharding_of(v.value)) for v in sequential.weights},
            "functional": {v.path: normalized(sharding_of(v.value))
                           for v in functional.weights}}


both("model_weights", model_weights)


def dp_weights(m):
    lib = keras if m is KD else kk
    with m.DataParallel().scope():
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="dense")])
    return [normalized(sharding_of(v.value)) for v in model.weights]


both("dp_weights", dp_weights)


def dp_fit(m):
    """Two epochs of SGD under DataParallel from the same weights and batches."""
    lib = keras if m is KD else kk
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(96, 5)).astype("float32"), rng.normal(size=(96, 2)).astype("float32")
    with m.DataParallel().scope():
        model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(7, activation="tanh"),
                                lib.layers.Dense(2)])
        model.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * .3
                           for i, w in enumerate(model.get_weights())])
        model.compile(lib.optimizers.SGD(0.05), "mse")
        history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        return {"weights": [w.tolist() for w in model.get_weights()],
                "loss": history.history["loss"],
                "sharding": [normalized(sharding_of(v.value)) for v in model.weights]}



both("dp_fit", dp_fit)
print(json.dumps(report, default=str))
