"""Getting a model ready for its data, and the rules its targets follow.

`prepare_for_data` runs eagerly on the first batch, before anything is traced: it builds the
model, names its outputs and builds the losses and metrics, because all of that creates weights
and metric variables (a change of the model's structure). A later call on data of the same spec,
with no compile and no change of layers since, skips it.

Targets, sample weights and per-output settings are matched to the outputs
(`match_targets`, `match_per_output`), at compile time and inside the step.

Before the first step (`check_targets`, on the data's spec): targets of a built-in elementwise
loss must be shaped like the output (Keras's trailing-axis-of-1 adjustment allowed), and sparse
labels like the output without its class axis. In-memory sparse labels are range-checked once on
the host (`check_sparse_labels`). Labels that only exist inside the step (generators, datasets)
are counted there by a `LabelRangeMonitor`, whose state is carried with the metric variables and
read when the logs are (`raise_for_device_labels`).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit.errors import describe
from kernelkit.metrics.metric import Metric
from kernelkit.naming import to_snake_case
from kernelkit.training.metric_tracking import tracked_metrics

__all__ = ["LabelRangeMonitor", "builtin_loss_name", "check_sparse_labels", "check_targets",
           "flatten_outputs", "ignore_class_of", "infer_outputs", "is_sparse_loss",
           "match_per_output", "match_targets", "prepare_for_data", "raise_for_device_labels"]


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


# ---- matching targets to outputs ------------------------------------------------------------

def flatten_outputs(y_pred, names: list[str]) -> list:
    """The model outputs as a list in `names` order (dict outputs by key)."""
    if isinstance(y_pred, dict):
        return [y_pred[name] for name in names]
    if isinstance(y_pred, list | tuple):
        return jax.tree_util.tree_leaves(list(y_pred))
    return [y_pred]


def match_targets(y, names: list[str], what: str = "y") -> list:
    """Targets as a list aligned with the outputs; a dict is matched by output name."""
    n = len(names)
    if y is None:
        return [None] * n
    if isinstance(y, dict):
        unknown = sorted(set(y) - set(names))
        if unknown:
            raise ValueError(
                f"{what} names output(s) {unknown} that the model does not have. Expected keys "
                f"among the output names {names}. Received: {what}={describe(y)}."
            )
        return [y.get(name) for name in names]
    if isinstance(y, list | tuple) and n > 1:
        flat = jax.tree_util.tree_leaves(list(y), is_leaf=lambda v: v is None)
        if len(flat) != n:
            raise ValueError(
                f"The model has {n} outputs {names}, but {what} holds {len(flat)} arrays. "
                f"Expected one per output, as a list or a dict. Received: {what}={describe(y)}."
            )
        return flat
    if n > 1:
        raise ValueError(
            f"The model has {n} outputs {names}, but {what} is a single array. Expected a list "
            f"of {n} arrays or a dict keyed by output name. Received: {what}={describe(y)}."
        )
    if isinstance(y, list | tuple) and len(y) == 1:
        return [y[0]]
    return [y]


def match_per_output(value, names: list[str], what: str, broadcast: bool = True) -> list:
    """Compile arguments (losses, loss weights, metrics) as one entry per output."""
    n = len(names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(
                f"compile: {what} names output(s) {unknown} that the model does not have. "
                f"Expected keys among the output names {names}. Received: {what}={value!r}."
            )
        return [value.get(name) for name in names]
    if isinstance(value, list | tuple):
        if len(value) != n:
            raise ValueError(
                f"compile: {what} has {len(value)} entries but the model has {n} outputs "
                f"{names}. Expected one entry per output, or a dict keyed by output name. "
                f"Received: {what}={value!r}."
            )
        return list(value)
    if not broadcast and n > 1:
        raise ValueError(
            f"compile: {what} must be a list or dict for a model with {n} outputs {names}. "
            f"Received: {what}={value!r}."
        )
    return [value] * n


# ---- checking targets -----------------------------------------------------------------------

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


def builtin_loss_name(fn) -> str | None:
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
    loss_name = builtin_loss_name(fn)
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


def ignore_class_of(fn):
    kwargs = getattr(fn, "_fn_kwargs", None) or {}
    return kwargs.get("ignore_class", getattr(fn, "ignore_class", None))


def is_sparse_loss(fn) -> bool:
    """Whether `fn` is a built-in loss that takes integer class labels."""
    return builtin_loss_name(fn) in _SPARSE


def check_targets(model, y_true, y_pred, names) -> None:
    """Refuses targets that cannot fit the outputs; records the sparse outputs' class counts."""
    loss = model._compile_loss
    model._trainer.sparse_label_checks = []
    if loss is None:
        return
    for i, fn in enumerate(loss.loss_fns):
        if fn is None or y_true[i] is None:
            continue
        _check_target_shape(model, fn, y_true[i], y_pred[i], names[i])
        if builtin_loss_name(fn) in _SPARSE and y_pred[i].shape[-1] is not None:
            model._trainer.sparse_label_checks.append(
                (i, int(y_pred[i].shape[-1]), ignore_class_of(fn), names[i],
                 builtin_loss_name(fn)))
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




def _label_message(model, name, loss_name, value, classes, where: str, count: int) -> str:
    return (f"Model '{model.name}': the label {value!r} {where}of the targets for output "
            f"'{name}' is out of range for {loss_name!r}. Expected integer labels in "
            f"[0, {classes}) (the output has {classes} classes). Received: {count} label(s) "
            "out of range. Fix the labels, widen the output layer, or pass ignore_class=... "
            "to the loss for a void label.")


class LabelRangeMonitor(Metric):
    """Counts sparse labels outside `[0, classes)` inside the compiled step (jit-safe).

    Its state (`count`, the first bad `value`, its `output`) lives in metric variables, so
    it is carried through the fused loop, reset with the metrics and read on the host when the
    logs are: a cost of one comparison and one sum per step.

    Example:
        >>> import jax.numpy as jnp
        >>> monitor = LabelRangeMonitor()
        >>> monitor.update_state(jnp.array([0, 4, 1]), 3, None, 0)
        >>> {k: int(v) for k, v in monitor.result().items()}
        {'count': 1, 'value': 4, 'output': 0}
    """

    def __init__(self, name="label_range_monitor"):
        super().__init__(name=name)

    def state_shapes(self) -> dict:
        return {"count": ((), "int32"), "value": ((), "int32"), "output": ((), "int32")}

    def update(self, state, labels, classes, ignore_class=None, output=0):
        flat = jnp.reshape(jnp.asarray(labels), (-1,))
        bad = (flat < 0) | (flat >= classes)
        if jnp.issubdtype(flat.dtype, jnp.floating):
            bad = bad | ~jnp.isfinite(flat) | (flat != jnp.round(flat))
        if ignore_class is not None:
            bad = bad & (flat != ignore_class)
        count = jnp.sum(bad, dtype=jnp.int32)
        first = flat[jnp.argmax(bad)].astype(jnp.int32) if flat.size else jnp.int32(0)
        take = (state["count"] == 0) & (count > 0)
        return {"count": state["count"] + count,
                "value": jnp.where(take, first, state["value"]),
                "output": jnp.where(take, jnp.int32(output), state["output"])}

    def compute(self, state):
        return dict(state)


def raise_for_device_labels(model) -> None:
    """Raises when the monitor of `model`'s compiled loss counted bad labels (host read)."""
    loss = getattr(model, "_compile_loss", None)
    monitor = getattr(loss, "label_monitor", None)
    if monitor is None or not monitor.built or monitor._state is None:
        return
    state = {k: int(v) for k, v in jax.device_get(monitor.result()).items()}
    if state["count"] == 0:
        return
    index = state["output"]
    fn = loss.loss_fns[index]
    classes = next((c for i, c, *_ in getattr(model._trainer, "sparse_label_checks", [])
                    if i == index), None)
    message = _label_message(model, loss.output_names[index], builtin_loss_name(fn),
                             state["value"], classes, "in a batch ", state["count"])
    monitor.reset_state()
    raise ValueError(message)
