"""Which metrics a model tracks: its loss tracker, per-output losses, compiled and own metrics."""

from __future__ import annotations

__all__ = ["tracked_metrics"]


def tracked_metrics(model) -> list:
    """`Model.metrics` as kernelkit defines it (an override of the property may differ).

    Args:
        model: A `kernelkit.Model`.

    Returns:
        The loss tracker, the per-output loss trackers and the compiled metrics once built,
        then the metrics the model or its layers hold as attributes.
    """
    out = []
    if model.compiled:
        out.append(model._loss_tracker)
        if model._compile_loss is not None and model._compile_loss.built:
            out.extend(model._compile_loss.trackers)
        if model._compile_metrics is not None and model._compile_metrics.built:
            out.extend(model._compile_metrics.metrics)
    for metric in _owned_metrics(model):
        if all(metric is not m for m in out):
            out.append(metric)
    return out


def _owned_metrics(model) -> list:
    """Metrics held as attributes by the model or by any of its layers (Keras reports a metric
    that a layer updates in `call` in the logs of `fit` and `evaluate`), in layer order."""
    from kernelkit.layers import tracking
    from kernelkit.metrics import Metric

    found, seen, stack = [], set(), [model]
    while stack:
        module = stack.pop(0)
        if id(module) in seen:
            continue
        seen.add(id(module))
        for value in vars(module).values():
            if isinstance(value, Metric):
                found.append(value)
        stack.extend(tracking.sublayers(module))
    return found
