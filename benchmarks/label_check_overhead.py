"""The cost of the in-step sparse-label range check (issue 15) on the tiny MLP.

`fit` with the built-in `sparse_categorical_crossentropy` counts labels outside `[0, classes)`
inside the compiled step. The same model is timed with the check switched off (the compiled
loss then builds no monitor); alternating runs in one process give the overhead (median steady
epoch, steps/s).

Usage: `python -m benchmarks.label_check_overhead [--rounds 3] [--epochs 6]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402

from benchmarks.reference_models import CASES, keras_like  # noqa: E402


def _steady_steps_per_s(checked: bool, epochs: int, x, y) -> float:
    import kernelkit as kk
    from kernelkit.training import compile_loss, preparation

    compile_loss.is_sparse_loss = preparation.is_sparse_loss if checked else (lambda fn: False)
    case = CASES["tiny_mlp"]
    model = keras_like(kk, "tiny_mlp")
    model.compile(kk.optimizers.Adam(1e-3),
                  kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    durations = []

    class Timer(kk.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            durations.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=case.batch_size, epochs=epochs + 1, verbose=0,
              callbacks=[Timer()])
    steps = -(-case.num_samples // case.batch_size)
    return steps / statistics.median(durations[1:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=6)
    args = parser.parse_args(argv)
    x, y = CASES["tiny_mlp"].data()
    checked, unchecked = [], []
    for _ in range(args.rounds):
        checked.append(_steady_steps_per_s(True, args.epochs, x, y))
        unchecked.append(_steady_steps_per_s(False, args.epochs, x, y))
    a, b = statistics.median(checked), statistics.median(unchecked)
    print("| tiny MLP, steps/s | with the label check | without | ratio |")
    print("| --- | --- | --- | --- |")
    print(f"| median of {args.rounds} alternating runs | {a:,.0f} | {b:,.0f} | {a / b:.3f} |")
    print("runs:", [f"{v:,.0f}" for v in checked], [f"{v:,.0f}" for v in unchecked])
    return np.array([a, b])


if __name__ == "__main__":
    main()
