"""What the notebook live view costs: `fit` of the reference MLP with and without it.

Usage: `python -m benchmarks.live_view_overhead [--epochs 4]`. The widget runs for real
(ipywidgets, the reused matplotlib figure, PNG encoding at the default update interval); only
the notebook front end is replaced by a handle that accepts updates, as a kernel's would.
Prints the steady epoch time of both runs and the overhead in percent (goal: at most 3 %).
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


def _epoch_times(model, x, y, epochs, callbacks):
    times = []

    class Timer(kk.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=CASES["mlp"].batch_size, epochs=epochs, verbose=0,
              callbacks=[Timer(), *callbacks])
    return statistics.median(times[1:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args(argv)
    x, y = CASES["mlp"].data()
    live_view.show = lambda obj, display_id=None: _Handle()
    set_display_mode("notebook")
    results = {}
    for label, make in (("without", list), ("with LiveProgress", lambda: [
            kk.callbacks.LiveProgress()])):
        model = keras_like(kk, "mlp")
        model.compile(kk.optimizers.Adam(1e-3),
                      kk.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        results[label] = _epoch_times(model, x, y, args.epochs + 1, make())
    base, live = results["without"], results["with LiveProgress"]
    print(f"MLP epoch without the live view: {base:.3f} s; with it: {live:.3f} s; "
          f"overhead {100 * (live - base) / base:+.1f} %")


if __name__ == "__main__":
    main()
