"""`fit` under `float32` and `mixed_bfloat16`, kernelkit and Keras 3 side by side.

Under the `"mixed_bfloat16"` dtype policy both libraries keep float32 variables and compute in
bfloat16. On a GPU with bfloat16 units (A100, H100, H200) the MLP and CNN should run faster than
in float32 and reach the same final loss within noise; on a CPU, bfloat16 is usually slower (XLA
emulates it), which the table shows honestly.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.reference_models import CASES, keras_like

POLICIES = ("float32", "mixed_bfloat16")


def _set_policy(lib, policy: str) -> None:
    if lib.__name__ == "keras":
        lib.mixed_precision.set_global_policy(policy)
    else:
        lib.config.set_dtype_policy(None if policy == "float32" else policy)


def bench_policy(lib, case_key: str, policy: str, epochs: int, x, y) -> dict:
    """Steady steps/s and the final training loss of `fit` under `policy`."""
    case = CASES[case_key]
    _set_policy(lib, policy)
    try:
        lib.utils.set_random_seed(0)
        model = keras_like(lib, case_key)
        model.compile(lib.optimizers.Adam(1e-3),
                      lib.losses.SparseCategoricalCrossentropy(from_logits=True))
        durations = []

        class Timer(lib.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                durations.append(time.perf_counter() - self.start)

        history = model.fit(x, y, batch_size=case.batch_size, epochs=epochs + 1, verbose=0,
                            callbacks=[Timer()], shuffle=False)
    finally:
        _set_policy(lib, "float32")
    steps = -(-case.num_samples // case.batch_size)
    return {"steps_per_s": steps / statistics.median(durations[1:]),
            "final_loss": float(history.history["loss"][-1])}


def run(case_keys, epochs_for) -> dict:
    """`{case: {(library, policy): result}}` for the given cases."""
    import keras

    import kernelkit

    results = {}
    for key in case_keys:
        x, y = CASES[key].data()
        results[key] = {(lib.__name__, policy): bench_policy(lib, key, policy, epochs_for(key),
                                                             x, y)
                        for policy in POLICIES for lib in (kernelkit, keras)}
    return results


def format_table(results) -> str:
    lines = ["fit under float32 and mixed_bfloat16 (steps/s; final training loss):", "",
             "| model | kk float32 | kk mixed_bfloat16 | kk bf16/f32 | Keras float32 | "
             "Keras mixed_bfloat16 | kk/Keras (bf16) | final loss kk f32 / bf16 |",
             "| --- " * 8 + "|"]
    for key, r in results.items():
        kf, kb = r[("kernelkit", "float32")], r[("kernelkit", "mixed_bfloat16")]
        ef, eb = r[("keras", "float32")], r[("keras", "mixed_bfloat16")]
        lines.append(
            f"| {CASES[key].name} | {kf['steps_per_s']:,.0f} | {kb['steps_per_s']:,.0f} | "
            f"{kb['steps_per_s'] / kf['steps_per_s']:.2f} | {ef['steps_per_s']:,.0f} | "
            f"{eb['steps_per_s']:,.0f} | {kb['steps_per_s'] / eb['steps_per_s']:.2f} | "
            f"{kf['final_loss']:.4f} / {kb['final_loss']:.4f} |")
    return "\n".join(lines)
