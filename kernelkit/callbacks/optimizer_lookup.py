"""`optimizers_of` and `learning_rate_of`: how learning-rate callbacks reach a model's optimizer."""

from __future__ import annotations

import numpy as np

from kernelkit.errors import describe

__all__ = ["learning_rate_of", "optimizers_of"]


def optimizers_of(who: str, model) -> list:
    """The optimizers whose learning rate a callback adjusts.

    A model's `optimizer` with an `optimizers` list (a multi-optimizer) gives each of them;
    otherwise the optimizer itself.

    Args:
        who: The callback's class name, for error messages.
        model: The model (duck-typed: `model.optimizer`).

    Returns:
        A list of optimizers, each with a readable and writable `learning_rate`.

    Raises:
        RuntimeError: if the model has no optimizer (not compiled yet).
        TypeError: if an optimizer has no `learning_rate` attribute.

    Example:
        >>> from types import SimpleNamespace
        >>> model = SimpleNamespace(optimizer=SimpleNamespace(learning_rate=0.5))
        >>> [learning_rate_of(o) for o in optimizers_of("Demo", model)]
        [0.5]
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise RuntimeError(
            f"{who}: the model has no optimizer. Expected a compiled model. Received: "
            f"model.optimizer=None. Call model.compile(optimizer=...) before fit()."
        )
    optimizers = getattr(optimizer, "optimizers", None)
    optimizers = list(optimizers) if isinstance(optimizers, list | tuple) else [optimizer]
    for each in optimizers:
        if not hasattr(each, "learning_rate"):
            raise TypeError(
                f"{who}: the optimizer has no learning_rate attribute. Expected an optimizer "
                f"with a readable and writable learning_rate. Received: optimizer="
                f"{describe(each)}. Use a kernelkit optimizer (e.g. kernelkit.optimizers.Adam)."
            )
    return optimizers


def learning_rate_of(optimizer) -> float:
    """The optimizer's current learning rate as a Python float."""
    return float(np.asarray(optimizer.learning_rate))
