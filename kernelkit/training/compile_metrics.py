"""`CompileMetrics`: the metrics given to `compile`, resolved per output and named as in Keras."""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx

from kernelkit import metrics as metrics_lib
from kernelkit.training.preparation import match_per_output

__all__ = ["CompileMetrics"]


def _entries(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _per_output(arg, names, what):
    """Keras's forms: a flat list for every output, a list of lists, or a dict by name."""
    if arg is None:
        return [[] for _ in names]
    if isinstance(arg, dict):
        return [_entries(v) for v in match_per_output(arg, names, what)]
    if not isinstance(arg, list | tuple):
        raise TypeError(
            f"compile: `{what}` must be a list or a dict. Received: {what} of type "
            f"{type(arg).__name__}. Wrap a single metric in a list: {what}=[...]."
        )
    if any(isinstance(v, list | tuple) for v in arg):  # one entry per output
        return [_entries(v) for v in match_per_output(list(arg), names, what)]
    return [list(arg) for _ in names]


class CompileMetrics(nnx.Module, pytree=False):
    """Resolved metric objects, in Keras's display order (grouped by output)."""

    _kk_not_a_layer = True

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        self.metrics_arg, self.weighted_metrics_arg = metrics, weighted_metrics
        self.output_names = list(output_names or [])
        self.built = False
        self.entries = []  # (metric, output index, weighted)
        for group in (metrics, weighted_metrics):
            for entry in _iter_leaves(group):
                if isinstance(entry, str) and entry.lower() in ("accuracy", "acc",
                                                                "crossentropy", "ce"):
                    continue
                metrics_lib.get(entry)  # unknown names raise at compile time

    def build(self, y_true: list, y_pred: list, loss_fns: list) -> None:
        names = self.output_names
        plain = _per_output(self.metrics_arg, names, "metrics")
        weighted = _per_output(self.weighted_metrics_arg, names, "weighted_metrics")
        entries, used = [], set()
        for i, name in enumerate(names):
            for group, is_weighted in ((plain[i], False), (weighted[i], True)):
                for identifier in group:
                    if identifier is None:
                        continue
                    metric = metrics_lib.resolve_metric(
                        identifier, _shape(y_true[i]), _shape(y_pred[i]),
                        loss=loss_fns[i] if loss_fns else None)
                    if not metric.built:
                        metric.build(_shape(y_true[i]), _shape(y_pred[i]))
                    label = metric.name if not isinstance(identifier, str) else identifier
                    if len(names) > 1:
                        label = f"{name}_{label}"
                    if label in used:
                        label = f"weighted_{label}" if is_weighted else f"{label}_{len(used)}"
                    used.add(label)
                    metric.name = label
                    entries.append((metric, i, is_weighted))
        self.entries = entries
        self.built = True

    @property
    def metrics(self) -> list:
        return [m for m, _, _ in self.entries]

    def update_state(self, y_true: list, y_pred: list, sample_weight: list) -> None:
        for metric, i, is_weighted in self.entries:
            metric.update_state(y_true[i], y_pred[i],
                                sample_weight=sample_weight[i] if is_weighted else None)

    def result(self) -> dict:
        out = {}
        for metric, _, _ in self.entries:
            value = metric.result()
            if isinstance(value, dict):
                out.update(value)
            else:
                out[metric.name] = value
        return out

    def reset_state(self) -> None:
        for metric, _, _ in self.entries:
            metric.reset_state()


def _iter_leaves(value):
    if value is None:
        return
    if isinstance(value, dict):
        for v in value.values():
            yield from _iter_leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _iter_leaves(v)
    else:
        yield value


def _shape(x):
    return () if x is None else tuple(jnp.shape(x))
