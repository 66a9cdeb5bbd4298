"""`TerminateOnNaN`: stops training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from kernelkit.callbacks.callback import Callback

__all__ = ["TerminateOnNaN"]


class TerminateOnNaN(Callback):
    """Stops training when a batch's `loss` is NaN or infinite.

    By default it prints a message and sets `model.stop_training = True`, so training ends
    gracefully (every callback's `on_train_end` still runs). With `raise_error=True` it raises
    at once instead, skipping that cleanup.

    Args:
        raise_error: Whether to raise a `RuntimeError` instead of stopping gracefully.

    Raises:
        RuntimeError: at the batch whose loss is NaN or infinite, when `raise_error=True`.

    Example:
        >>> class FakeModel:
        ...     stop_training = False
        >>> terminator = TerminateOnNaN()
        >>> terminator.set_model(FakeModel())
        >>> terminator.on_train_batch_end(3, {"loss": float("nan")})
        Batch 3: Invalid loss, terminating training
        >>> terminator.model.stop_training
        True
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"TerminateOnNaN: NaN or Inf loss encountered at batch {batch}. Expected a finite "
                f"loss. Received: loss={float(loss)}. Training was terminated immediately; lower "
                "the learning rate, clip gradients or check the data for NaN values."
            )
        print(f"Batch {batch}: Invalid loss, terminating training", flush=True)
        self.model.stop_training = True
