"""`BackgroundFit`: `fit(..., background=True)` runs in a thread and returns this handle."""

from __future__ import annotations

import threading

from kernelkit.callbacks import CallbackList, LiveProgress, ProgbarLogger

__all__ = ["BackgroundFit"]


class BackgroundFit:
    """A `fit` running in a background thread, so the notebook kernel stays free.

    Attributes:
        exception: The exception that ended training, or `None`.

    Example:
        >>> import numpy as np, kernelkit as kk
        >>> model = kk.Sequential([kk.Input((2,)), kk.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> run = model.fit(np.ones((8, 2)), np.ones((8, 1)), verbose=0, background=True)
        >>> run.wait().history["loss"].__len__(), run.done
        (1, True)
    """

    def __init__(self, model, fit, args: dict):
        trainer = model._trainer
        if getattr(trainer, "background_run", None) is not None and not trainer.background_run.done:
            raise RuntimeError(
                f"Model '{model.name}': fit(..., background=True) was called while an earlier "
                "background fit of this model is still running. Expected one fit at a time. "
                "Call .stop() and .wait() on the running handle first."
            )
        self.model = model
        self.exception = None
        self._history = None
        args["callbacks"] = self._with_view(args.get("callbacks"), args.get("verbose", "auto"))
        trainer.stop_signal.clear()
        trainer.background_run = self
        self._thread = threading.Thread(target=self._run, args=(fit, args), daemon=True,
                                        name=f"kernelkit-fit-{model.name}")
        self._thread.start()

    @staticmethod
    def _with_view(callbacks, verbose):
        """Shows the live view now, from the calling (cell's) thread, so output lands there."""
        items = list(callbacks or []) if not isinstance(callbacks, CallbackList) else callbacks
        if isinstance(items, CallbackList) or any(isinstance(c, ProgbarLogger) for c in items):
            return items
        if verbose == "auto":
            live = LiveProgress()
            if live.is_live():
                live.open_view()
                return [*items, live]
        return items

    def _run(self, fit, args):
        try:
            self._history = fit(**args)
        except BaseException as e:  # kept for .wait() and .exception
            self.exception = e
        finally:
            self.model._trainer.stop_signal.clear()

    @property
    def done(self) -> bool:
        """Whether training has ended (finished, stopped or failed)."""
        return not self._thread.is_alive()

    @property
    def history(self):
        """The model's `History` (filled in as epochs end)."""
        return self._history if self._history is not None else self.model.history

    def stop(self) -> None:
        """Asks training to stop after the current step (returns at once)."""
        self.model._trainer.stop_signal.request()

    def wait(self, timeout=None):
        """Waits for the end of training; returns the `History` or re-raises its error.

        Raises:
            TimeoutError: if training is still running after `timeout` seconds.
        """
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(
                f"BackgroundFit.wait: training of model '{self.model.name}' is still running "
                f"after {timeout} seconds. Wait longer, or call .stop() first."
            )
        if self.exception is not None:
            raise self.exception
        return self.history

    def __repr__(self) -> str:
        state = "done" if self.done else "running"
        return f"<BackgroundFit model={self.model.name} {state}>"
