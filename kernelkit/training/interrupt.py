"""Turning a kernel interrupt (Ctrl-C, Jupyter's stop button) into a stop at a step boundary."""

from __future__ import annotations

import signal
import threading

__all__ = ["InterruptGuard"]


class InterruptGuard:
    """While active, the first SIGINT only sets `requested`; a second one interrupts at once.

    The loop checks `requested` between dispatches, finishes cleanly (weights of the last
    finished step, `on_train_end`), then raises `KeyboardInterrupt` itself. Outside the main
    thread (background training) signals cannot be caught, and the guard does nothing.
    """

    def __init__(self):
        self.requested = False
        self._previous = None
        self._active = False

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.signal(signal.SIGINT, self._handle)
                self._active = True
            except ValueError:  # not allowed here (e.g. inside some embedded interpreters)
                self._active = False
        return self

    def _handle(self, signum, frame):
        if self.requested:
            self._restore()
            raise KeyboardInterrupt
        self.requested = True

    def _restore(self):
        if self._active:
            signal.signal(signal.SIGINT, self._previous)
            self._active = False

    def __exit__(self, *exc):
        self._restore()
        return False


class StopSignal:
    """Every reason a run stops early, asked in one place.

    `model.stop_training = True` (EarlyStopping, TerminateOnNaN), a Ctrl-C or Jupyter's stop
    button (the run's `InterruptGuard`), and `BackgroundFit.stop()` or the live view's Stop
    button (`request()`).

    Example:
        >>> signal = StopSignal()
        >>> signal.request(); signal.requested
        True
    """

    def __init__(self):
        self.requested = False
        self.model = None
        self.guard: InterruptGuard | None = None

    def begin(self, model, guard: InterruptGuard | None = None) -> None:
        """Starts watching one run of `model`."""
        self.model, self.guard = model, guard

    def request(self) -> None:
        """Asks the run to stop after its current dispatch."""
        self.requested = True

    def clear(self) -> None:
        self.requested = False

    @property
    def interrupted(self) -> bool:
        """Whether a keyboard interrupt asked for the stop."""
        return self.guard is not None and self.guard.requested

    def is_set(self) -> bool:
        """Whether the run should stop now."""
        return bool(self.requested or self.interrupted or (
            self.model is not None and getattr(self.model, "stop_training", False)))
