"""`CompileLoss`: the losses given to `compile`, resolved per output, weighted and summed."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from kernelkit import losses as losses_lib
from kernelkit.metrics import Mean
from kernelkit.registry import serialize
from kernelkit.training.preparation import (
    LabelRangeMonitor,
    ignore_class_of,
    is_sparse_loss,
    match_per_output,
)

__all__ = ["CompileLoss"]


class CompileLoss(nnx.Module, pytree=False):
    """Per-output losses with their weights; one `<output>_loss` tracker each when several."""

    _kk_not_a_layer = True

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.loss_arg = loss
        self.loss_weights_arg = loss_weights
        self.output_names = list(output_names or [])
        self.built = False
        self.loss_fns = []
        self.loss_weights = []
        self.trackers = []
        for entry in _flat_entries(loss):
            if entry is not None and not isinstance(entry, str):
                losses_lib.get(entry)  # fail fast on things that are not losses
            elif isinstance(entry, str) and entry.lower() not in ("crossentropy", "ce"):
                losses_lib.get(entry)  # unknown names raise at compile time

    def build(self, y_true: list, y_pred: list) -> None:
        names = self.output_names
        per_output = match_per_output(self.loss_arg, names, "loss")
        weights = (match_per_output(self.loss_weights_arg, names, "loss_weights")
                   if self.loss_weights_arg is not None else [None] * len(names))
        self.loss_fns = [
            None if entry is None else _as_loss(losses_lib.resolve_loss(entry, _shape(t),
                                                                        _shape(p)))
            for entry, t, p in zip(per_output, y_true, y_pred)]
        self.loss_weights = [1.0 if w is None else float(w) for w in weights]
        active = [i for i, fn in enumerate(self.loss_fns) if fn is not None]
        self.trackers = [Mean(name=f"{names[i]}_loss") for i in active] if len(names) > 1 else []
        self._active = active
        self._sparse = {i: (int(_shape(y_pred[i])[-1]), ignore_class_of(self.loss_fns[i]))
                        for i in active if is_sparse_loss(self.loss_fns[i])
                        and _shape(y_pred[i]) and _shape(y_pred[i])[-1] is not None}
        if self._sparse:  # counts bad labels inside the compiled step (generators, datasets)
            self.label_monitor = LabelRangeMonitor()
        self.built = True

    def __call__(self, y_true: list, y_pred: list, sample_weight: list):
        total = None
        tracker = iter(self.trackers)
        for i in self._active:
            if y_true[i] is None:
                raise ValueError(
                    f"The loss for output '{self.output_names[i]}' needs targets, but the data "
                    "has none (y=None). Pass y to fit, or yield (x, y) batches."
                )
            if i in self._sparse and isinstance(y_true[i], jax.core.Tracer):
                classes, ignore = self._sparse[i]
                self.label_monitor.update_state(y_true[i], classes, ignore, i)
            value = jnp.asarray(self.loss_fns[i](y_true[i], y_pred[i], sample_weight[i]),
                                jnp.float32)
            if value.ndim:  # a Loss with reduction=None: training needs one number
                value = jnp.mean(value)
            if self.trackers:  # Keras reports each output's loss before its weight
                next(tracker).update_state(value, sample_weight=jnp.shape(y_pred[i])[0])
            value = value * self.loss_weights[i]
            total = value if total is None else total + value
        return total

    def get_config(self):
        return {"loss": serialize_entries(self.loss_arg),
                "loss_weights": self.loss_weights_arg}


def _as_loss(fn):
    """A `Loss` object (reducing to a scalar) for a loss function or instance."""
    fn = losses_lib.get(fn)
    if isinstance(fn, losses_lib.Loss):
        return fn
    return losses_lib.LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))


def _shape(x):
    return () if x is None else tuple(jnp.shape(x))


def _flat_entries(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def serialize_entries(value):
    """Serializes a loss or metric argument, keeping its list/dict structure."""
    if isinstance(value, dict):
        return {k: serialize_entries(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [serialize_entries(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "get_config"):
        return serialize(value)
    return getattr(value, "__name__", repr(value))
