"""Getting a model ready for data: build it, name its outputs, build losses and metrics.

All of this happens eagerly on the first batch, before anything is traced, because it creates
weights and metric variables (a change of the model's structure).
"""

from __future__ import annotations

import jax
import numpy as np
from flax import nnx

from kernelkit.errors import describe
from kernelkit.naming import to_snake_case
from kernelkit.training.outputs import flatten_outputs, match_targets

__all__ = ["check_sparse_labels", "infer_outputs", "prepare_for_data"]


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


# Built-in losses that compare targets with outputs element by element (after Keras's rank
# adjustment of a trailing axis of 1), and the sparse ones that take integer labels. Other
# losses (custom functions, CTC, metric-learning losses) may broadcast on purpose: not checked.
_ELEMENTWISE = frozenset({
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
    "kl_divergence", "poisson", "hinge", "squared_hinge", "categorical_hinge",
    "cosine_similarity"})
_SPARSE = frozenset({"sparse_categorical_crossentropy"})


def _builtin_loss_name(fn) -> str | None:
    inner = getattr(fn, "fn", None)
    for candidate in (fn, inner):
        name = getattr(candidate, "__name__", None)
        if name and getattr(candidate, "__module__", "").startswith("kernelkit.losses"):
            return name
    if type(fn).__module__.startswith("kernelkit.losses") and inner is None:
        return to_snake_case(type(fn).__name__)
    return None


def _targets_fit(name: str, target: tuple, output: tuple) -> bool:
    def same(a, b):
        return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))

    t, o = target[1:], output[1:]
    if name in _SPARSE:
        return same(t, o[:-1]) or same(t, o[:-1] + (1,))
    return (same(t, o) or (len(o) > 0 and o[-1] == 1 and same(t, o[:-1]))
            or (len(t) > 0 and t[-1] == 1 and same(t[:-1], o)))


def _check_target_shape(model, fn, target, output, name: str) -> None:
    loss_name = _builtin_loss_name(fn)
    if loss_name not in _ELEMENTWISE | _SPARSE:
        return
    if _targets_fit(loss_name, tuple(np.shape(target)), tuple(output.shape)):
        return
    expected = ("integer labels shaped like the output without its last axis"
                if loss_name in _SPARSE else "targets shaped like the output")
    raise ValueError(
        f"Model '{model.name}': the targets for output '{name}' do not fit the output for the "
        f"loss {loss_name!r}. Expected {expected}: output={describe(output)}. Received: "
        f"y={describe(target)}. Check y (one-hot vs integer labels, one column per output "
        "unit) or choose the matching loss (e.g. sparse_categorical_crossentropy for labels)."
    )


def _ignore_class(fn):
    kwargs = getattr(fn, "_fn_kwargs", None) or {}
    return kwargs.get("ignore_class", getattr(fn, "ignore_class", None))


def _check_targets(model, y_true, y_pred, names) -> None:
    loss = model._compile_loss
    model._trainer.sparse_label_checks = []
    if loss is None:
        return
    for i, fn in enumerate(loss.loss_fns):
        if fn is None or y_true[i] is None:
            continue
        _check_target_shape(model, fn, y_true[i], y_pred[i], names[i])
        if _builtin_loss_name(fn) in _SPARSE and y_pred[i].shape[-1] is not None:
            model._trainer.sparse_label_checks.append(
                (i, int(y_pred[i].shape[-1]), _ignore_class(fn), names[i],
                 _builtin_loss_name(fn)))
        t = jax.ShapeDtypeStruct(np.shape(y_true[i]), np.dtype(y_true[i].dtype))
        try:
            jax.eval_shape(lambda a, b, f=fn: f(a, b), t, y_pred[i])
        except Exception as e:
            raise ValueError(
                f"Model '{model.name}': the targets for output '{names[i]}' cannot be compared "
                f"with the output: y={describe(t)}, output={describe(y_pred[i])}, loss "
                f"{getattr(fn, 'name', fn)!r}. Expected targets shaped like the output (or "
                "integer labels for a sparse loss). Check y or the loss."
            ) from e


def check_sparse_labels(model, y) -> None:
    """Refuses integer labels outside `[0, classes)` for the model's sparse losses, on the host
    (once per `fit`/`evaluate` for in-memory targets), instead of a silent loss of 0 or NaN."""
    checks = getattr(model._trainer, "sparse_label_checks", None)
    if not checks or y is None:
        return
    y_true = match_targets(y, model._trainer.output_names)
    for index, classes, ignore, name, loss_name in checks:
        if y_true[index] is None or isinstance(y_true[index], jax.core.Tracer):
            continue
        labels = np.asarray(y_true[index])
        if labels.dtype.kind not in "iuf":
            continue
        bad = (labels < 0) | (labels >= classes)
        if labels.dtype.kind == "f":
            bad |= ~np.isfinite(labels) | (labels != np.round(labels))
        if ignore is not None:
            bad &= labels != ignore
        if bad.any():
            position = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"Model '{model.name}': the label {labels[position].item()!r} at position "
                f"{position} of the targets for output '{name}' is out of range for "
                f"{loss_name!r}. Expected integer labels in [0, {classes}) (the output has "
                f"{classes} classes). Received: y={describe(labels)} with {int(bad.sum())} "
                "label(s) out of range. Fix the labels, widen the output layer, or pass "
                "ignore_class=... to the loss for a void label."
            )


def prepare_for_data(model, x, y=None, sample_weight=None) -> None:
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
    _check_targets(model, y_true, outputs, names)
    check_sparse_labels(model, y)
    if model._compile_metrics is not None and not model._compile_metrics.built:
        loss_fns = model._compile_loss.loss_fns if model._compile_loss is not None else []
        model._compile_metrics.build(y_true, outputs, loss_fns)
    from kernelkit.training.trainer import Trainer

    # the metric variables must exist before the model is split, also for the built-in
    # trackers that an overridden `metrics` property leaves out
    for metric in [*Trainer.metrics.fget(model), *model.metrics]:
        _ = metric.variables
    model._trainer.data_seen = True
