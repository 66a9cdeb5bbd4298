"""What the layer-health panel costs: `fit` of the reference MLP with and without `layer_stats`.

Usage: `python -m benchmarks.layer_health [--epochs 4] [--repeats 3]`. Two comparisons, each
between two compiled models (one per setting, warmed up first) whose whole `fit()` calls
alternate (A B A B ...), so machine noise hits both alike:

- the panel: `LiveProgress()` against `LiveProgress(layer_stats=True)`, both running their real
  widget (only the notebook front end is replaced by a handle that accepts updates);
- the step alone: no callback against a callback that only asks for the statistics (the
  per-layer reductions compiled into the step, and the session's separate channel).

Printed per comparison: the median over the pairs of `with / without - 1` and the ratio of the
fastest runs (noise only ever adds time), in wall time and in the process's CPU time (steadier
on a shared machine: other processes' load does not count). Goal: at most 5 %.
"""

from __future__ import annotations

import argparse
import statistics
import time

import kernelkit as kk
from benchmarks.live_view_overhead import _Handle, _model
from benchmarks.reference_models import CASES
from kernelkit.display import live_view, set_display_mode


def _fit_seconds(model, x, y, epochs, callbacks) -> tuple[float, float]:
    """`(wall seconds, CPU seconds of this process)` of one `fit`."""
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(x, y, batch_size=CASES["mlp"].batch_size, epochs=epochs, verbose=0,
              callbacks=callbacks)
    return time.perf_counter() - wall, time.process_time() - cpu


class _AsksForStats(kk.callbacks.Callback):
    """Asks for the statistics and reads nothing (the cost of measuring them in the step)."""

    wants_layer_stats = True


def _compare(name, make_without, make_with, x, y, epochs, repeats):
    plain, measured = _model(), _model()
    _fit_seconds(plain, x, y, 1, make_without())  # compilation, outside the measurement
    _fit_seconds(measured, x, y, 1, make_with())
    pairs = []
    for _ in range(repeats):
        base = _fit_seconds(plain, x, y, epochs, make_without())
        with_stats = _fit_seconds(measured, x, y, epochs, make_with())
        pairs.append((base, with_stats))
        print(f"{name}: fit of {epochs} MLP epochs {base[0]:.2f} s without layer stats, "
              f"{with_stats[0]:.2f} s with ({100 * (with_stats[0] / base[0] - 1):+.1f} %; "
              f"CPU time {100 * (with_stats[1] / base[1] - 1):+.1f} %)", flush=True)
    summary = []
    for k, clock in enumerate(("wall", "CPU")):
        overhead = statistics.median(w[k] / b[k] - 1 for b, w in pairs)
        fastest = min(w[k] for _, w in pairs) / min(b[k] for b, _ in pairs) - 1
        summary.append(f"{clock}: median {100 * overhead:+.1f} %, fastest {100 * fastest:+.1f} %")
    print(f"{name} overhead (goal: at most 5 % of fit), {len(pairs)} pairs: "
          + "; ".join(summary), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("panel", "step"), default=None)
    args = parser.parse_args(argv)
    x, y = CASES["mlp"].data()
    live_view.show = lambda obj, display_id=None: _Handle()
    set_display_mode("notebook")
    if args.only in (None, "step"):
        _compare("step alone", lambda: [], lambda: [_AsksForStats()], x, y, args.epochs,
                 args.repeats)
    if args.only in (None, "panel"):
        _compare("panel", lambda: [kk.callbacks.LiveProgress()],
                 lambda: [kk.callbacks.LiveProgress(layer_stats=True)], x, y, args.epochs,
                 args.repeats)


if __name__ == "__main__":
    main()
