"""Data-parallel training speed on 1, 2, 4 and 8 devices: kernelkit `fit` beside a hand-written
`jax.sharding` loop, in one process run.

Usage: `python -m benchmarks.distribution [--case mlp] [--devices 1 2 4 8] [--epochs 3]`.
On a CPU machine the devices are forced host devices (`XLA_FLAGS=
--xla_force_host_platform_device_count=8`, set here before JAX starts): they share the
machine's cores, so more devices is not faster there; the figure is the ratio of kernelkit to
the hand-written loop at each device count. On a machine with several accelerators the same
table measures real scaling.

The hand-written loop is what a JAX engineer writes: the NNX model's state replicated with a
`NamedSharding`, each batch sent from the host split along the mesh's batch axis, one jitted
step (with donation) per batch. kernelkit runs `fit` under `DataParallel` with its default
`steps_per_execution="auto"` and with 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("KERNELKIT_COMPILATION_CACHE", "0")
if "--xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                               + " --xla_force_host_platform_device_count=8").strip()

import jax  # noqa: E402
import numpy as np  # noqa: E402
from flax import nnx  # noqa: E402
from jax.sharding import NamedSharding, PartitionSpec  # noqa: E402

from benchmarks import flax_loops  # noqa: E402
from benchmarks.reference_models import CASES, NNXModel, keras_like  # noqa: E402


def _median_steps_per_second(durations, steps):
    return steps / statistics.median(durations)


def bench_kernelkit(case_key, devices, epochs, x, y, steps_per_execution):
    """Steady steps/s of kernelkit's `fit` under `DataParallel(devices=...)`."""
    import kernelkit as kk

    case = CASES[case_key]
    durations = []

    class Timer(kk.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            durations.append(time.perf_counter() - self.start)

    with kk.distribution.DataParallel(devices=devices).scope():
        model = keras_like(kk, case_key)
        model.compile(kk.optimizers.Adam(1e-3), "sparse_categorical_crossentropy",
                      metrics=["accuracy"], steps_per_execution=steps_per_execution)
        model.fit(x, y, batch_size=case.batch_size, epochs=epochs + 1, shuffle=False,
                  verbose=0, callbacks=[Timer()])
    return _median_steps_per_second(durations[1:], len(x) // case.batch_size)


def bench_hand_written(case_key, devices, epochs, x, y):
    """Steady steps/s of a hand-written jax.sharding data-parallel loop."""
    case = CASES[case_key]
    mesh = jax.sharding.Mesh(np.array(devices), ("batch",))
    replicated = NamedSharding(mesh, PartitionSpec())
    split = NamedSharding(mesh, PartitionSpec("batch"))
    graphdef, tx, state = flax_loops.make_state(NNXModel(case_key, nnx.Rngs(0)))
    state = jax.device_put(state, replicated)
    step = flax_loops.make_step(graphdef, tx)
    steps = len(x) // case.batch_size
    durations = []
    for _ in range(epochs + 1):
        start = time.perf_counter()
        for i in range(steps):
            sl = slice(i * case.batch_size, (i + 1) * case.batch_size)
            state = step(state, jax.device_put(x[sl], split), jax.device_put(y[sl], split))
        jax.block_until_ready(state)
        durations.append(time.perf_counter() - start)
    return _median_steps_per_second(durations[1:], steps)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="mlp", choices=sorted(CASES))
    parser.add_argument("--devices", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=4096)
    args = parser.parse_args(argv)
    case = CASES[args.case]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.samples, *case.input_shape)).astype("float32")
    y = rng.integers(0, case.classes, size=(args.samples,)).astype("int32")
    everything = jax.devices()
    print(f"{case.name}, batch {case.batch_size}, {args.samples} samples, "
          f"{everything[0].platform} x{len(everything)}; steady steps/s (median of "
          f"{args.epochs} epochs)")
    print("| devices | kernelkit fit (auto) | kernelkit fit (spe=1) | hand-written jax.sharding "
          "| ratio auto / hand | ratio spe=1 / hand |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in args.devices:
        if n > len(everything):
            print(f"| {n} | skipped: only {len(everything)} devices | | | | |")
            continue
        devices = everything[:n]
        auto = bench_kernelkit(args.case, devices, args.epochs, x, y, "auto")
        single = bench_kernelkit(args.case, devices, args.epochs, x, y, 1)
        hand = bench_hand_written(args.case, devices, args.epochs, x, y)
        print(f"| {n} | {auto:,.1f} | {single:,.1f} | {hand:,.1f} | {auto / hand:.2f} | "
              f"{single / hand:.2f} |", flush=True)


if __name__ == "__main__":
    main()
