"""Checks of targets against outputs, before any step and inside the compiled step.

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

from kernelkit.errors import describe
from kernelkit.metrics.metric import Metric
from kernelkit.naming import to_snake_case
from kernelkit.training.output_matching import match_targets

__all__ = ["LabelRangeMonitor", "builtin_loss_name", "check_sparse_labels", "check_targets",
           "ignore_class_of", "is_sparse_loss", "raise_for_device_labels"]


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
