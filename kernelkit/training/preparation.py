"""Getting a model ready for data: build it, name its outputs, build losses and metrics.

All of this happens eagerly on the first batch, before anything is traced, because it creates
weights and metric variables (a change of the model's structure).
"""

from __future__ import annotations

import jax
import numpy as np
from flax import nnx

from kernelkit.training.metric_tracking import tracked_metrics
from kernelkit.training.output_matching import flatten_outputs, match_targets
from kernelkit.training.target_checks import check_sparse_labels, check_targets

__all__ = ["infer_outputs", "prepare_for_data"]


def _one_sample(x):
    return jax.tree_util.tree_map(lambda a: a[:1], x)


def infer_outputs(model, x):
    """The output structure for input `x` as ShapeDtypeStructs (no computation)."""
    graphdef, state = nnx.split(model)

    def forward(state, x):
        return nnx.merge(graphdef, state, copy=True)(x, training=False)

    spec = jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct(np.shape(a), a.dtype), x)
    return jax.eval_shape(forward, state, spec)


def _names_for(model, y_pred) -> list[str]:
    if getattr(model, "outputs", None):
        return model.output_names_for_compile()
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    if isinstance(y_pred, list | tuple):
        return [f"output_{i}" for i in range(len(jax.tree_util.tree_leaves(list(y_pred))))]
    return ["output"]


def _data_key(x, y, sample_weight) -> tuple:
    """What the preparation depends on: the structure, per-sample shapes and dtypes."""
    leaves, treedef = jax.tree_util.tree_flatten((x, y, sample_weight))
    return treedef, tuple((np.shape(a)[1:], str(getattr(a, "dtype", type(a).__name__)))
                          for a in leaves)


def _prepared(model, key) -> bool:
    """Whether the last preparation still holds: same data spec, no compile since, and the
    model's structure unchanged since its step functions were built (a warm `fit`)."""
    state = model._trainer
    fns = state.step_functions
    return (state.data_seen and state.prepared_for == key and fns is not None
            and fns.matches(model))


def prepare_for_data(model, x, y=None, sample_weight=None) -> None:
    """Builds `model`, names its outputs and builds the compiled losses and metrics for a
    first batch `x, y, sample_weight`; skipped when the same data spec was prepared before."""
    key = _data_key(x, y, sample_weight)
    if _prepared(model, key):
        check_sparse_labels(model, y)
        return
    if not model.built:
        model(_one_sample(x), training=False)
    y_pred = infer_outputs(model, x)
    names = _names_for(model, y_pred)
    model._trainer.output_names = names
    y_true = match_targets(y, names)
    outputs = flatten_outputs(y_pred, names)
    for container in (model._compile_loss, model._compile_metrics):
        if container is not None:
            container.output_names = names
    if model._compile_loss is not None and not model._compile_loss.built:
        model._compile_loss.build(y_true, outputs)
    check_targets(model, y_true, outputs, names)
    check_sparse_labels(model, y)
    if model._compile_metrics is not None and not model._compile_metrics.built:
        loss_fns = model._compile_loss.loss_fns if model._compile_loss is not None else []
        model._compile_metrics.build(y_true, outputs, loss_fns)
    # the metric variables must exist before the model is split, also for the built-in
    # trackers that an overridden `metrics` property leaves out
    monitor = getattr(model._compile_loss, "label_monitor", None)
    for metric in [*tracked_metrics(model), *model.metrics,
                   *([monitor] if monitor is not None else [])]:
        _ = metric.variables
    model._trainer.data_seen = True
    model._trainer.prepared_for = key
