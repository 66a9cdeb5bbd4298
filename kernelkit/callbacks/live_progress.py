"""`LiveProgress`: the notebook training view (bar, live curves, best epoch, Stop button)."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

from kernelkit.callbacks.progbar_logger import ProgbarLogger
from kernelkit.display.environment import is_notebook, publish
from kernelkit.display.layer_health_view import (
    LayerHealthHistory,
    layer_health_html,
    layer_health_text,
)
from kernelkit.display.live_view import LiveView, widgets_available
from kernelkit.display.progress_html import (
    format_duration,
    format_value,
    metrics_table_html,
    progress_html,
    static_record_html,
)
from kernelkit.display.training_curves import TrainingCurves

__all__ = ["LiveProgress"]

_TEXT_INTERVAL = 0.1  # the progress line changes at most ten times a second


class LiveProgress(ProgbarLogger):
    """Live training view for notebooks; a text progress bar elsewhere.

    In a notebook with ipywidgets, `fit` shows one widget updated in place: a progress line
    (epoch, step, rate, the epoch's ETA and, with more epochs to come, the whole run's ETA at
    the run's measured rate, current metrics), live curves (train and validation on one panel
    per metric), the best epoch so far and a Stop button (sets `model.stop_training`; it acts
    while the kernel is free, i.e. with `fit(..., background=True)`). When training ends
    (finished, stopped or failed) the widget is replaced by static HTML and a PNG of the curves,
    so saved notebooks show them; its table holds the last 20 epochs, with the best epoch's
    row in bold (shown first when it is older). `evaluate` and `predict` get a compact progress line.
    Outside a notebook, or without ipywidgets, it behaves as `ProgbarLogger`.

    With `layer_stats=True`, `fit` measures per-layer weight norms, gradient norms and
    update / weight ratios inside the compiled step (`fit` then compiles a variant of the step
    that computes them; a fit without it runs the program it always runs), and the view adds a
    layer-health panel: a heat strip per layer and quantity, updated with the curves, with the
    layers whose gradients vanish (norm < 1e-7) or explode (> 1e3) or whose weights or
    gradients hold NaN/inf named. Without widgets, a line names the flagged layers after each
    epoch and one line sums the run up. Statistics come from the step's
    `optimizer.apply_gradients` (the default step and a `train_step(self, data)` override);
    with several steps per dispatch they are the last step's. Use it as
    `model.fit(x, y, callbacks=[kk.callbacks.LiveProgress(layer_stats=True)])`.

    Args:
        metrics: Metric names to plot (without `val_`); `None` plots all.
        log_scale: Whether the curves use a logarithmic y axis.
        update_interval: Least number of seconds between two redraws of the curves (more
            when a redraw is slow: redraws take at most about 1 % of the training time).
        background_redraws: Draw the live curves in a worker thread, so training goes on
            while matplotlib renders (the final record is drawn when training ends). `False`
            draws them in the training thread.
        monitor: The value that picks the best epoch; default `val_loss`, else `loss`.
        clock: Zero-argument function returning seconds (for tests).
        layer_stats: Whether to show the layer-health panel (see above).

    Raises:
        ValueError: if `update_interval` is negative.

    Example:
        >>> live = LiveProgress(metrics=["loss"], update_interval=2.0)
        >>> live.update_interval
        2.0
    """

    def __init__(self, metrics=None, log_scale=False, update_interval=1.0, monitor=None,
                 clock=time.monotonic, background_redraws=True, layer_stats=False):
        super().__init__()
        if not update_interval >= 0:
            raise ValueError(
                "LiveProgress: `update_interval` must be a number of seconds >= 0. Received: "
                f"update_interval={update_interval!r}."
            )
        self.metrics = None if metrics is None else list(metrics)
        self.log_scale = bool(log_scale)
        self.update_interval = float(update_interval)
        self.monitor = monitor
        self.clock = clock
        self.background_redraws = bool(background_redraws)
        self.layer_stats = bool(layer_stats)
        self.layer_health = LayerHealthHistory()  # the panel's samples, oldest first
        self._redrawer = None  # the worker thread's executor while a run is live
        self._redraw = None  # the future of the redraw in progress
        self.view = None
        self.curves = None
        self.redraws = 0
        self._live = None
        self._reset_run()

    def _reset_run(self):
        self._epoch, self._epochs_done, self._epoch_logs = 0, 0, []
        self._steps_done = 0  # training steps of the finished epochs (for the run's ETA)
        self._last_text = self._last_plot = self._last_health = None
        self._plot_cost = 0.0  # seconds the last redraw took; spaces redraws out on slow machines
        self._dirty = False
        self._png = None  # the curves last drawn, reused by the final record when still current
        self._start = self._epoch_start = None
        self._handle = None

    @property
    def wants_layer_stats(self) -> bool:
        """Whether `fit` should measure per-layer statistics for this callback."""
        return self.layer_stats

    def is_live(self) -> bool:
        """Whether the widget view is used (a notebook with ipywidgets)."""
        if self._live is None:
            self._live = is_notebook() and widgets_available()
        return self._live

    def open_view(self) -> None:
        """Displays the widget now (before training starts, e.g. from the calling thread)."""
        if self.is_live() and (self.view is None or self.view.finalized):
            self.view = LiveView(on_stop=self.request_stop)
            self.view.open()

    def request_stop(self) -> None:
        """What the Stop button does: ask the running `fit` to stop after the current step."""
        if self._model is not None:
            self._model.stop_training = True

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        if not self.is_live():
            return super().needs_batch_hooks(kind)
        super().needs_batch_hooks(kind)  # validates `kind`
        return not (kind == "test" and self._called_in_fit)

    # ---- fit ----------------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.layer_health = LayerHealthHistory()
        if not self.is_live():
            return
        self._finish_redraws()
        self._reset_run()
        self.curves = TrainingCurves(log_scale=self.log_scale)
        self._start = self.clock()
        self.open_view()

    def on_epoch_begin(self, epoch, logs=None):
        if not self.is_live():
            return super().on_epoch_begin(epoch, logs)
        self._epoch, self._epoch_start, self.seen = epoch, self.clock(), 0
        self._show_progress({}, force=True)

    def on_train_batch_end(self, batch, logs=None):
        if not self.is_live():
            return super().on_train_batch_end(batch, logs)
        self.seen = batch + 1
        logs = self._selected(logs or {})
        if self.layer_stats and self.layer_health.latest is None:  # the run's first step(s)
            self._sample_health(f"epoch {self._epoch + 1}, step {self.seen}")
        if self._show_progress(logs) and self.target:
            self.curves.add_partial(self._epoch + self.seen / self.target, logs)
            self._sample_health(f"epoch {self._epoch + 1}, step {self.seen}")
            self._dirty = True
        self._maybe_plot()

    def on_epoch_end(self, epoch, logs=None):
        if not self.is_live():
            super().on_epoch_end(epoch, logs)
            health = self._sample_health(f"end of epoch {epoch + 1}")
            if self.verbose and health is not None and health.problems():
                print(layer_health_text(health), flush=True)
            return None
        self._sample_health(f"end of epoch {epoch + 1}", redraw=True)
        logs = dict(logs or {})
        if self.target is None:
            self.target = self.seen
        self._epochs_done += 1
        self._epoch_logs.append((epoch + 1, logs))
        self.curves.add_epoch(epoch + 1, self._selected(logs))
        self._dirty = True
        self._show_progress(self._selected(logs), force=True, done=True)
        self._steps_done += self.seen
        self.view.set_best(self._best_html())
        self._maybe_plot()

    def on_train_end(self, logs=None):
        super().on_train_end(logs)
        if not self.is_live() and self.verbose and self.layer_health.latest is not None:
            print(self._health_text(), flush=True)
        self._finish_redraws()
        if self.is_live() and self.view is not None and not self.view.finalized:
            self.view.finalize(*self._final_record(sys.exc_info()[1]))

    # ---- evaluate and predict: a compact line -------------------------------------------------

    def on_test_begin(self, logs=None):
        if not self.is_live():
            return super().on_test_begin(logs)
        if not self._called_in_fit:
            self._begin_compact()

    def on_predict_begin(self, logs=None):
        if not self.is_live():
            return super().on_predict_begin(logs)
        self._begin_compact()

    def on_test_batch_end(self, batch, logs=None):
        if not self.is_live():
            return super().on_test_batch_end(batch, logs)
        if not self._called_in_fit:
            self._compact(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        if not self.is_live():
            return super().on_predict_batch_end(batch, logs)
        self._compact(batch, None)

    def on_test_end(self, logs=None):
        if not self.is_live():
            return super().on_test_end(logs)
        if not self._called_in_fit:
            self._compact(None, logs, final=True)

    def on_predict_end(self, logs=None):
        if not self.is_live():
            return super().on_predict_end(logs)
        self._compact(None, None, final=True)

    def _begin_compact(self):
        self.seen, self._epoch_start, self._last_text = 0, self.clock(), None
        self._handle = publish(progress_html(0.0, "Starting", [], {}), "Starting",
                               display_id=True)

    def _compact(self, batch, logs, final=False):
        if batch is not None:
            self.seen = batch + 1
        now = self.clock()
        if not final and self._last_text is not None and now - self._last_text < _TEXT_INTERVAL:
            return
        self._last_text = now
        total = self.seen if final else self.target
        html, text = self._progress_parts("Done" if final else "Running", logs or {}, total)
        publish(html, text, display_id=self._handle.display_id, update=True)

    # ---- pieces -------------------------------------------------------------------------------

    def _selected(self, logs: dict) -> dict:
        if self.metrics is None:
            return dict(logs)
        keep = set(self.metrics)
        return {k: v for k, v in logs.items() if k in keep or k.removeprefix("val_") in keep}

    def _progress_parts(self, title, logs, total, run=False):
        elapsed = self.clock() - self._epoch_start
        rate = self.seen / elapsed if elapsed > 0 else None
        details = [f"step {self.seen}/{total if total else '?'}"]
        if rate:
            details.append(f"{rate:.1f} steps/s")
        epoch_eta = (total - self.seen) / rate if total and rate and self.seen < total else None
        run_eta = self._run_eta(total) if run else None
        if run_eta is not None:
            if epoch_eta is not None:
                details.append(f"epoch ETA {format_duration(epoch_eta)}")
            details.append(f"run ETA {format_duration(run_eta)}")
        elif epoch_eta is not None:
            details.append(f"ETA {format_duration(epoch_eta)}")
        else:
            details.append(f"{format_duration(elapsed)} elapsed")
        fraction = self.seen / total if total else None
        text = " - ".join([title, *details] + [f"{k}: {format_value(v)}"
                                               for k, v in logs.items()])
        return progress_html(fraction, title, details, logs), text

    def _run_eta(self, total):
        """Seconds left in the whole `fit`, at the run's measured rate; `None` when unknown
        or when this is the last epoch (then the epoch's ETA says it)."""
        later = (self.epochs or 0) - self._epoch - 1
        per_epoch = total or (self._steps_done / self._epochs_done if self._epochs_done else 0)
        done = self._steps_done + self.seen
        elapsed = self.clock() - self._start if self._start is not None else 0.0
        if later <= 0 or not per_epoch or not done or elapsed <= 0:
            return None
        # The run's rate includes validation and callbacks, which later epochs also pay.
        left = max(per_epoch - self.seen, 0) + later * per_epoch
        return left * elapsed / done

    def _show_progress(self, logs, force=False, done=False) -> bool:
        now = self.clock()
        if not force and self._last_text is not None and now - self._last_text < _TEXT_INTERVAL:
            return False
        self._last_text = now
        total = self.seen if done and not self.target else self.target
        title = f"Epoch {self._epoch + 1}/{self.epochs}"
        html, _ = self._progress_parts(title, logs, total, run=True)
        self.view.set_progress(html)
        return True

    def _maybe_plot(self, force=False):
        now = self.clock()
        gap = max(self.update_interval, self._plot_cost / 0.01)  # keep redraws under ~1 %
        due = self._last_plot is None or now - self._last_plot >= gap
        busy = self._redraw is not None and not self._redraw.done()
        if self._dirty and (force or due) and not busy:
            self._last_plot = now
            self._dirty = False
            snapshot = self.curves.snapshot()
            if not self.background_redraws:
                self._draw_curves(snapshot, now)
                return
            if self._redrawer is None:
                self._redrawer = ThreadPoolExecutor(1, thread_name_prefix="kernelkit-curves")
            self._redraw = self._redrawer.submit(self._draw_in_background, snapshot, now)

    def _draw_in_background(self, snapshot, started):
        try:
            self._draw_curves(snapshot, started)
        except Exception:  # drawn again in the training thread for the final record: it raises
            self._png = None

    def _draw_curves(self, snapshot, started):
        png = self.curves.to_png(snapshot)
        self._png = png
        self.view.set_curves(png)
        if self.redraws:  # the first draw also pays matplotlib's one-time set-up: not a cost
            self._plot_cost = self.clock() - started  # that spaces later redraws out
        self.redraws += 1

    def _finish_redraws(self) -> None:
        """Waits for the redraw in progress and ends the worker thread."""
        if self._redrawer is not None:
            self._redrawer.shutdown(wait=True)
        self._redrawer = self._redraw = None

    def _sample_health(self, label: str, redraw: bool = False):
        """The run's latest `LayerHealth`, kept for the strips (None without stats); the live
        panel is redrawn at most every `update_interval` seconds (and with `redraw`)."""
        session = getattr(self._model, "training_session", None) if self.layer_stats else None
        health = session.layer_health() if session is not None else None
        if health is None:
            return None
        self.layer_health.add(health, label)
        now = self.clock()
        if self.view is not None and (redraw or self._last_health is None
                                      or now - self._last_health >= self.update_interval):
            self._last_health = now
            self.view.set_health(layer_health_html(self.layer_health))
        return health

    def _health_text(self) -> str:
        return layer_health_text(self.layer_health.latest,
                                 first_nonfinite=self.layer_health.first_nonfinite)

    def _monitor_key(self):
        last = self._epoch_logs[-1][1] if self._epoch_logs else {}
        return self.monitor or ("val_loss" if "val_loss" in last else "loss")

    def _best(self):
        key = self._monitor_key()
        scored = [(e, logs) for e, logs in self._epoch_logs if key in logs]
        if not scored:
            return key, None
        higher = any(word in key for word in ("acc", "auc", "precision", "recall"))
        pick = max if higher else min
        return key, pick(scored, key=lambda item: item[1][key])

    def _best_html(self) -> str:
        key, best = self._best()
        if best is None:
            return ""
        epoch, logs = best
        names = list(self._selected(logs))
        return metrics_table_html(["best epoch", *names], [[str(epoch), *(logs[n] for n in names)]],
                                  caption=f"Best epoch so far (by {key})")

    def _final_record(self, error):
        elapsed = (format_duration(self.clock() - self._start) if self._start is not None
                   else "?")
        if error is not None:
            status = (f"Training failed in epoch {self._epoch + 1}/{self.epochs} after "
                      f"{elapsed}: {type(error).__name__}.")
        elif (getattr(self._model, "stop_training", False)
              or getattr(self._model, "_stop_requested", False)):
            status = f"Training stopped after {_epochs(self._epochs_done)} ({elapsed})."
        else:
            status = f"Training finished: {_epochs(self._epochs_done)} in {elapsed}."
        rows, names = [], []
        for epoch, logs in self._epoch_logs:
            logs = self._selected(logs)
            names += [k for k in logs if k not in names]
            rows.append([str(epoch), *(logs.get(n, "") for n in names)])
        rows = [r + [""] * (len(names) + 1 - len(r)) for r in rows]
        key, best = self._best()
        caption = f"Best epoch: {best[0]} (by {key})" if best else ""
        table = _record_table(names, rows, best[0] if best else None, caption)
        png = None
        if self._epoch_logs:
            png = self._png if self._png is not None and not self._dirty else self.curves.to_png()
        text = status + "".join(f"\n{k}: {format_value(v)}" for k, v in
                                (self._epoch_logs[-1][1].items() if self._epoch_logs else []))
        if self.layer_health.latest is not None:
            table += layer_health_html(self.layer_health)
            text += "\n" + self._health_text()
        return static_record_html(status, table, png), text


def _epochs(n: int) -> str:
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def _record_table(names: list, rows: list, best_epoch, caption: str, last: int = 20) -> str:
    """The last `last` epochs' rows, the best epoch's row in bold (shown first, tagged "best",
    when it is older than those)."""
    shown = rows[-last:]
    index = {row[0]: i for i, row in enumerate(shown)}
    key = None if best_epoch is None else str(best_epoch)
    if key is None or key in index:
        bold = {index[key]} if key is not None else set()
        return metrics_table_html(["epoch", *names], shown, caption=caption, bold_rows=bold)
    best_row = next(row for row in rows if row[0] == key)
    shown = [[f"{key} (best)", *best_row[1:]], *shown]
    return metrics_table_html(["epoch", *names], shown, caption=caption, bold_rows={0},
                              split_after=0)
