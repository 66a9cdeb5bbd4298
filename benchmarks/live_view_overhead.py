"""What the notebook live view costs: `fit` of the reference MLP with and without it.

Usage: `python -m benchmarks.live_view_overhead [--epochs 8] [--repeats 3]`. The widget runs
for real (ipywidgets, the reused matplotlib figure, PNG encoding at the default update
interval, the static record at the end); only the notebook front end is replaced by a handle
that accepts updates, as a kernel's would. Two compiled models (one per setting) are warmed
up, then whole `fit()` calls alternate between them (A B A B ...), so machine noise hits both
alike. Printed: the median over the pairs of `with / without - 1`, the ratio of the fastest
runs (noise only ever adds time), and the time spent inside the view's own hooks (the part of
the overhead that does not depend on the machine's noise). Goal: at most 3 %.
"""

from __future__ import annotations

import argparse
import statistics
import time

import kernelkit as kk
from benchmarks.reference_models import CASES, keras_like
from kernelkit.display import live_view, set_display_mode


class _Handle:
    display_id = "benchmark"

    def update(self, obj, **kwargs):
        pass


def _model():
    model = keras_like(kk, "mlp")
    model.compile(kk.optimizers.Adam(1e-3),
                  kk.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def _fit_seconds(model, x, y, epochs, callbacks) -> float:
    start = time.perf_counter()
    model.fit(x, y, batch_size=CASES["mlp"].batch_size, epochs=epochs, verbose=0,
              callbacks=callbacks)
    return time.perf_counter() - start


_HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end",
          "on_train_end")


def _timed_live_progress(spent):
    """A LiveProgress whose hooks add their wall time to `spent[0]`."""
    live = kk.callbacks.LiveProgress()
    for name in _HOOKS:
        hook = getattr(live, name)

        def timed(*args, hook=hook, **kwargs):
            start = time.perf_counter()
            try:
                return hook(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        setattr(live, name, timed)
    return live


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    x, y = CASES["mlp"].data()
    live_view.show = lambda obj, display_id=None: _Handle()
    set_display_mode("notebook")
    plain, viewed = _model(), _model()
    _fit_seconds(plain, x, y, 1, [])  # compilation, outside the measurement
    _fit_seconds(viewed, x, y, 1, [kk.callbacks.LiveProgress()])
    pairs, hook_shares = [], []
    for _ in range(args.repeats):
        base = _fit_seconds(plain, x, y, args.epochs, [])
        spent = [0.0]
        live = _fit_seconds(viewed, x, y, args.epochs, [_timed_live_progress(spent)])
        pairs.append((base, live))
        hook_shares.append(spent[0] / live)
        print(f"fit of {args.epochs} MLP epochs: {base:.2f} s without the live view, "
              f"{live:.2f} s with it ({100 * (live / base - 1):+.1f} %); "
              f"{spent[0]:.3f} s inside its hooks")
    overhead = statistics.median(live / base - 1 for base, live in pairs)
    fastest = min(live for _, live in pairs) / min(base for base, _ in pairs) - 1
    print(f"live view overhead (goal: at most 3 % of fit): median of {len(pairs)} pairs "
          f"{100 * overhead:+.1f} %; fastest runs {100 * fastest:+.1f} %; inside its hooks "
          f"{100 * statistics.median(hook_shares):.1f} %")


if __name__ == "__main__":
    main()
