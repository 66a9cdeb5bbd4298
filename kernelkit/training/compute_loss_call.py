"""`call_compute_loss`: calling a model's `compute_loss` with the arguments its signature takes."""

from __future__ import annotations

import inspect

__all__ = ["call_compute_loss"]


def call_compute_loss(model, x, y, y_pred, sample_weight, training: bool):
    """Calls `model.compute_loss` with `training=` only when its signature takes it, as Keras 3
    does: overrides written as `compute_loss(self, x, y, y_pred, sample_weight, allow_empty)`
    (the keras.io knowledge-distillation example) keep working."""
    kwargs = {"x": x, "y": y, "y_pred": y_pred, "sample_weight": sample_weight}
    if _accepts_training(type(model).compute_loss):
        kwargs["training"] = training
    return model.compute_loss(**kwargs)


_TAKES_TRAINING: dict = {}


def _accepts_training(fn) -> bool:
    known = _TAKES_TRAINING.get(fn)
    if known is None:
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}
        known = "training" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
        _TAKES_TRAINING[fn] = known
    return known
