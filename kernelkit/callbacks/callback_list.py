"""`CallbackList`: calls every hook of a list of callbacks, fetching logs only for listeners."""

from __future__ import annotations

from kernelkit.callbacks.callback import Callback
from kernelkit.callbacks.history import History
from kernelkit.callbacks.live_progress import LiveProgress
from kernelkit.callbacks.progbar_logger import ProgbarLogger
from kernelkit.callbacks.python_logs import to_python_logs
from kernelkit.errors import describe

__all__ = ["CallbackList"]


def _flatten(callbacks) -> list:
    if callbacks is None:
        return []
    if isinstance(callbacks, list | tuple):
        return [c for item in callbacks for c in _flatten(item)]
    if not isinstance(callbacks, Callback):
        raise TypeError(
            "CallbackList: a callback is not a `Callback` instance. Expected instances of "
            f"kernelkit.callbacks.Callback (or of a subclass). Received: callback="
            f"{describe(callbacks)}. Subclass `Callback` or wrap functions in `LambdaCallback`."
        )
    return [callbacks]


class CallbackList(Callback):
    """Container that calls each hook on every callback it holds, in order.

    Logs may be handed over as a dict of JAX arrays (or as a zero-argument callable returning
    one). They are converted to Python floats once per hook call, and only when some callback
    listens: a batch hook that no callback overrides costs nothing and never synchronises with
    the device. Epoch-level hooks pass one converted dict to every callback in turn, so a key a
    callback adds (e.g. `learning_rate`) is seen by the ones after it, `History` included.

    Args:
        callbacks: A `Callback` or a (nested) list of them.
        add_history: Whether to append a `History` if none is in `callbacks`.
        add_progbar: Whether to append a `ProgbarLogger` if none is in `callbacks` (a
            `LiveProgress` when `verbose="auto"` in a notebook).
        model: The model the callbacks work with; `set_model` is called when given.
        **params: Loop parameters (`verbose`, `epochs`, `steps`) passed to `set_params`.

    Example:
        >>> import jax.numpy as jnp
        >>> callbacks = CallbackList(add_history=True, verbose=0, epochs=1, steps=2)
        >>> callbacks.needs_batch_hooks("train")
        False
        >>> callbacks.on_train_begin()
        >>> callbacks.on_epoch_begin(0)
        >>> callbacks.on_epoch_end(0, {"loss": jnp.asarray(0.25)})
        >>> callbacks.on_train_end()
        >>> callbacks.history.history
        {'loss': [0.25]}
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            # verbose="auto" in a notebook: the live widget view (text elsewhere)
            live = params.get("verbose") == "auto" and LiveProgress().is_live()
            self._progbar = LiveProgress() if live else ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)

    @property
    def history(self):
        """The `History` held by this list, or `None`."""
        return self._history

    def append(self, callback):
        """Adds a callback at the end, giving it this list's model and params."""
        (callback,) = _flatten(callback)
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        if isinstance(callback, History) and self._history is None:
            self._history = callback
        if isinstance(callback, ProgbarLogger) and self._progbar is None:
            self._progbar = callback

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self):
        return len(self.callbacks)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def needs_batch_hooks(self, kind: str = "train") -> bool:
        """Whether any callback wants the batch hooks of `kind` (see `Callback`)."""
        super().needs_batch_hooks(kind)  # validates `kind`
        return any(c.needs_batch_hooks(kind) for c in self.callbacks)

    @property
    def wants_layer_stats(self) -> bool:
        """Whether a callback asks `fit` to measure per-layer norms in the step (a callback
        with `wants_layer_stats = True`, e.g. `LiveProgress(layer_stats=True)`)."""
        return any(getattr(c, "wants_layer_stats", False) for c in self.callbacks)

    def _call_all(self, hook: str, *args, logs=None):
        logs = to_python_logs(logs)
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def _call_listeners(self, kind: str, hook: str, batch, logs):
        listeners = [c for c in self.callbacks if c.needs_batch_hooks(kind)]
        if not listeners:
            return
        logs = to_python_logs(logs)
        for callback in listeners:
            getattr(callback, hook)(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call_listeners("train", "on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call_listeners("train", "on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_listeners("train", "on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_listeners("train", "on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call_listeners("test", "on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_listeners("test", "on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_listeners("predict", "on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_listeners("predict", "on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call_all("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call_all("on_epoch_end", epoch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call_all("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call_all("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call_all("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call_all("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call_all("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call_all("on_predict_end", logs=logs)

