"""Side-by-side training speed: kernelkit `fit`, Keras 3 `fit` (JAX backend), hand-written Flax.

Usage: `python -m benchmarks.run [--cases tiny_mlp mlp cnn] [--epochs N]` (`make bench`;
N steady epochs per column, by default 16 for the tiny MLP and 4 for the others).
Prints one table per machine: steady-state steps/s of each, the ratios kernelkit/Keras and
kernelkit/best hand-written loop, first-epoch time (compilation included), `predict` latency on
a 32-row batch, and the peak memory of the compiled training programs (`benchmarks/memory.py`).
All columns run in the same process; numbers are medians over epochs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
# First-epoch times compare cold compilation: kernelkit's persistent compilation cache (on by
# default for users) would otherwise load the programs of an earlier run. Set it to 1 to see a
# notebook re-run's first epoch.
os.environ.setdefault("KERNELKIT_COMPILATION_CACHE", "0")

import jax  # noqa: E402
import numpy as np  # noqa: E402
from flax import nnx  # noqa: E402

from benchmarks import flax_loops, memory, precision  # noqa: E402
from benchmarks.reference_models import CASES, NNXModel, keras_like  # noqa: E402


class EpochTimer:
    """Records wall time per epoch (Keras and kernelkit callbacks share the hook names)."""

    def __init__(self):
        self.durations = []

    def begin(self):
        self._start = time.perf_counter()

    def end(self):
        self.durations.append(time.perf_counter() - self._start)


def _timer_callback(base, timer):
    class Timer(base):
        def on_epoch_begin(self, epoch, logs=None):
            timer.begin()

        def on_epoch_end(self, epoch, logs=None):
            timer.end()

    return Timer()


def bench_fit(lib, case_key, epochs, x, y):
    case = CASES[case_key]
    model = keras_like(lib, case_key)
    model.compile(lib.optimizers.Adam(1e-3),
                  lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    timer = EpochTimer()
    callback = _timer_callback(lib.callbacks.Callback, timer)
    start = time.perf_counter()
    model.fit(x, y, batch_size=case.batch_size, epochs=1, verbose=0, callbacks=[callback])
    first = time.perf_counter() - start
    model.fit(x, y, batch_size=case.batch_size, epochs=epochs, verbose=0, callbacks=[callback])
    steps = -(-case.num_samples // case.batch_size)
    steady = steps / statistics.median(timer.durations[1:])
    return model, {"steps_per_s": steady, "first_epoch_s": first}


def bench_flax(case_key, epochs, x, y, scanned):
    case = CASES[case_key]
    graphdef, tx, state = flax_loops.make_state(NNXModel(case_key, nnx.Rngs(0)))
    steps = case.num_samples // case.batch_size
    x_dev, y_dev = jax.device_put(x), jax.device_put(y)
    rng = np.random.default_rng(0)
    durations = []
    if scanned:
        epoch_fn = flax_loops.make_scanned_epoch(graphdef, tx, case.batch_size)
        for _ in range(epochs + 1):
            perm = jax.device_put(rng.permutation(case.num_samples).astype("int32"))
            start = time.perf_counter()
            state = epoch_fn(state, x_dev, y_dev, perm)
            jax.block_until_ready(state)
            durations.append(time.perf_counter() - start)
    else:
        step = flax_loops.make_step(graphdef, tx)
        for _ in range(epochs + 1):
            perm = rng.permutation(case.num_samples)
            start = time.perf_counter()
            for i in range(steps):
                idx = perm[i * case.batch_size:(i + 1) * case.batch_size]
                state = step(state, x[idx], y[idx])
            jax.block_until_ready(state)
            durations.append(time.perf_counter() - start)
    return {"steps_per_s": steps / statistics.median(durations[1:]),
            "first_epoch_s": durations[0]}


def predict_latency(model, x, repeats=200):
    """Median seconds of `model.predict` and `model.predict_on_batch` on one small batch."""
    batch = x[:32]
    out = {}
    for name, fn in (("predict", lambda: model.predict(batch, verbose=0)),
                     ("predict_on_batch", lambda: model.predict_on_batch(batch))):
        fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def direct_forward_latency(model, x, repeats=200):
    """The floor: a jitted pure forward over the split state, called directly on the same
    NumPy batch `predict` gets (so both pay its transfer to the device)."""
    graphdef, state = nnx.split(model)
    fwd = jax.jit(lambda s, b: nnx.merge(graphdef, s)(b, training=False))
    batch = x[:32]
    np.asarray(fwd(state, batch))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.asarray(fwd(state, batch))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def allocator_peak():
    """The device allocator's own peak (GPU); XLA:CPU reports none."""
    stats = jax.devices()[0].memory_stats() or {}
    peak = stats.get("peak_bytes_in_use")
    return f"{peak / 2**20:.0f} MiB" if peak else "n/a (not reported on this backend)"


def run_case(case_key, epochs):
    import keras

    import kernelkit

    x, y = CASES[case_key].data()
    kk_model, kk = bench_fit(kernelkit, case_key, epochs, x, y)
    kk["predict"] = predict_latency(kk_model, x)
    kk["forward_floor"] = direct_forward_latency(kk_model, x)
    kk["peak_bytes"] = memory.kernelkit_fit_peak(kk_model, x, y, CASES[case_key].batch_size)
    k_model, ke = bench_fit(keras, case_key, epochs, x, y)
    ke["predict"] = predict_latency(k_model, x)
    step = bench_flax(case_key, epochs, x, y, scanned=False)
    scan = bench_flax(case_key, epochs, x, y, scanned=True)
    return {"kernelkit": kk, "keras": ke, "flax_step": step, "flax_scan": scan,
            "flax_peak_bytes": memory.flax_peaks(case_key, x, y)}


def format_table(results) -> str:
    device = jax.devices()[0]
    lines = [f"Device: {device.platform} ({device.device_kind}), jax {jax.__version__}",
             "",
             "| model | kernelkit steps/s | Keras 3 steps/s | Flax step steps/s | "
             "Flax scan steps/s | kk/Keras | kk/best Flax | first epoch kk / Keras (s) | "
             "predict 32 rows kk / Keras (ms) | kk predict overhead (ms) |",
             "| --- " * 10 + "|"]
    for key, r in results.items():
        kk, ke = r["kernelkit"], r["keras"]
        best = max(r["flax_step"]["steps_per_s"], r["flax_scan"]["steps_per_s"])
        overhead = (kk["predict"]["predict_on_batch"] - kk["forward_floor"]) * 1e3
        lines.append(
            f"| {CASES[key].name} | {kk['steps_per_s']:,.0f} | {ke['steps_per_s']:,.0f} | "
            f"{r['flax_step']['steps_per_s']:,.0f} | {r['flax_scan']['steps_per_s']:,.0f} | "
            f"{kk['steps_per_s'] / ke['steps_per_s']:.2f} | {kk['steps_per_s'] / best:.2f} | "
            f"{kk['first_epoch_s']:.2f} / {ke['first_epoch_s']:.2f} | "
            f"{kk['predict']['predict'] * 1e3:.2f} / {ke['predict']['predict'] * 1e3:.2f} | "
            f"{overhead:.3f} |")
    lines += ["", "Peak memory of one compiled training program (XLA buffer assignment; the data set "
              "is on the device for kernelkit and the scanned loop, on the host for the step loop):",
              "", "| model | kernelkit fit (MiB) | Flax step (MiB) | Flax scan (MiB) | kk/Flax scan |",
              "| --- " * 5 + "|"]
    for key, r in results.items():
        kk_peak, flax = r["kernelkit"]["peak_bytes"], r["flax_peak_bytes"]
        lines.append(f"| {CASES[key].name} | {kk_peak / 2**20:.1f} | {flax['step'] / 2**20:.1f} | "
                     f"{flax['scan'] / 2**20:.1f} | {kk_peak / flax['scan']:.2f} |")
    lines += ["", f"Device allocator peak over the whole run: {allocator_peak()}"]
    return "\n".join(lines)


def _cuda_version() -> str:
    """The CUDA runtime jax's GPU plugin was built for, or that there is none."""
    try:
        from importlib.metadata import version

        plugin = next((name for name in ("jax-cuda12-plugin", "jax-cuda13-plugin")
                       if _installed(name)), None)
        return f"{plugin} {version(plugin)}" if plugin else "no CUDA plugin (CPU)"
    except Exception as e:  # a report line must not end the run
        return f"CUDA version unknown ({type(e).__name__})"


def _installed(name: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(name)
        return True
    except PackageNotFoundError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--mixed-bfloat16", action="store_true",
                        help="also time fit under the mixed_bfloat16 policy (benchmarks/precision.py)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = {key: run_case(key, args.epochs or CASES[key].epochs) for key in args.cases}
    print(format_table(results), flush=True)
    if args.mixed_bfloat16:
        mixed = precision.run(args.cases, lambda key: args.epochs or CASES[key].epochs)
        print("\n" + precision.format_table(mixed))
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s, {time.strftime('%Y-%m-%d')}, "
          f"jax {jax.__version__}, {_cuda_version()}")


if __name__ == "__main__":
    main()
