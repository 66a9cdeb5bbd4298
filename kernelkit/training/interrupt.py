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
