"""`LambdaCallback`: a callback assembled from plain functions, one per hook."""

from __future__ import annotations

from kernelkit.callbacks.callback import Callback

__all__ = ["LambdaCallback"]

_HOOKS = (
    "on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
    "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end",
    "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end",
)


class LambdaCallback(Callback):
    """Builds a callback from functions, each replacing the hook of the same name.

    Epoch hooks are called as `fn(epoch, logs)`, batch hooks as `fn(batch, logs)`, and
    begin/end hooks as `fn(logs)`. Only the hooks given are called; giving no batch hook lets
    the loop skip per-batch work.

    Args:
        on_epoch_begin, on_epoch_end: Functions of `(epoch, logs)`.
        on_train_begin, on_train_end: Functions of `(logs)`.
        on_train_batch_begin, on_train_batch_end: Functions of `(batch, logs)`.
        **kwargs: Any other hook (`on_batch_end`, `on_test_begin`, `on_predict_batch_end`, ...).

    Raises:
        TypeError: for a keyword that is not a hook name, or a hook that is not callable.

    Example:
        >>> seen = []
        >>> callback = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
        >>> callback.on_epoch_end(0, {})
        >>> seen, callback.needs_batch_hooks("train")
        ([0], False)
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        unknown = sorted(set(kwargs) - set(_HOOKS))
        if unknown:
            raise TypeError(
                f"LambdaCallback: unknown hook names. Expected keywords among {list(_HOOKS)}. "
                f"Received: {unknown}. Check the spelling of the hook names."
            )
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(
                    f"LambdaCallback: {name} is not callable. Expected a function. Received: "
                    f"{name}=<{type(fn).__name__}>. Pass a function or a lambda."
                )
            setattr(self, name, fn)
