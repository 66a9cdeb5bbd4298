"""Pure confusion-matrix counting at thresholds, the core of the precision/recall/AUC metrics."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.config import epsilon
from kernelkit.errors import describe
from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank

__all__ = ["CONDITIONS", "NEG_INF", "confusion_counts", "is_evenly_distributed",
           "parse_thresholds"]

NEG_INF = -1e10
CONDITIONS = ("tp", "fp", "tn", "fn")


def parse_thresholds(thresholds, default_threshold=0.5, who="Metric") -> list[float]:
    """Returns the thresholds as a list, checking that each lies in `[0, 1]`.

    Example:
        >>> parse_thresholds(None)
        [0.5]
    """
    if thresholds is None:
        return [default_threshold]
    values = list(thresholds) if isinstance(thresholds, list | tuple | np.ndarray) else [thresholds]
    bad = [t for t in values if t is None or t < 0 or t > 1]
    if bad:
        raise ValueError(
            f"{who}: threshold values must be in [0, 1]. Expected floats between 0 and 1. "
            f"Received: thresholds={thresholds!r}. Remove or fix {bad!r}."
        )
    return [float(t) for t in values]


def is_evenly_distributed(thresholds) -> bool:
    """True when the thresholds are `i / (n - 1)` for `i = 0..n-1` (n >= 3), up to epsilon."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def _filter_top_k(x, k):
    _, idx = jax.lax.top_k(x, k)
    keep = jnp.sum(jax.nn.one_hot(idx, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * keep + NEG_INF * (1 - keep)


def _weights(sample_weight, label_weights, y_pred, multi_label):
    weights = 1.0
    if sample_weight is not None:
        weights = jnp.broadcast_to(sample_weight.astype(y_pred.dtype), y_pred.shape)
    if label_weights is not None:
        label_weights = jnp.broadcast_to(jnp.asarray(label_weights, y_pred.dtype)[None],
                                         y_pred.shape)
        weights = weights * label_weights
    if not multi_label and jnp.ndim(weights):
        weights = jnp.reshape(weights, (-1,))
    return weights


def _bucketed_counts(y_true, y_pred, thresholds, conditions, weights, multi_label):
    n = len(thresholds)
    with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    y_pred = jnp.clip(y_pred, 0.0, 1.0)
    y_true = (y_true != 0).astype(y_pred.dtype)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
    true_labels = y_true * weights
    false_labels = (1.0 - y_true) * weights
    buckets = jnp.ceil(y_pred * (n - 1)) - 1
    if with_epsilon:
        buckets = jnp.maximum(buckets, 0)
    buckets = buckets.astype("int32")

    def above(labels):  # labels whose prediction lies above each threshold
        if multi_label:
            per_label = jax.vmap(lambda d, s: jax.ops.segment_sum(d, s, n))(labels.T, buckets.T)
            return jnp.flip(jnp.cumsum(jnp.flip(per_label, 1), axis=1), 1).T
        per_bucket = jax.ops.segment_sum(labels, buckets, n)
        return jnp.flip(jnp.cumsum(jnp.flip(per_bucket)))

    axis = 0 if multi_label else None
    out = {}
    tp = above(true_labels) if {"tp", "fn"} & set(conditions) else None
    fp = above(false_labels) if {"fp", "tn"} & set(conditions) else None
    if "tp" in conditions:
        out["tp"] = tp
    if "fp" in conditions:
        out["fp"] = fp
    if "tn" in conditions:
        out["tn"] = jnp.sum(false_labels, axis=axis) - fp
    if "fn" in conditions:
        out["fn"] = jnp.sum(true_labels, axis=axis) - tp
    return out


def _tiled_counts(y_true, y_pred, thresholds, conditions, weights, multi_label):
    thresholds = jnp.asarray(thresholds, y_pred.dtype)
    if multi_label:  # (thresholds, batch, labels)
        pred_pos = y_pred[None] > thresholds[:, None, None]
        label_pos = jnp.broadcast_to(y_true.astype(bool)[None], pred_pos.shape)
    else:  # (thresholds, batch * labels)
        pred_pos = y_pred.reshape(1, -1) > thresholds[:, None]
        label_pos = jnp.broadcast_to(y_true.reshape(1, -1).astype(bool), pred_pos.shape)
    weights = jnp.broadcast_to(jnp.asarray(weights, y_pred.dtype), pred_pos.shape[1:])
    cases = {"tp": (label_pos, pred_pos), "fp": (~label_pos, pred_pos),
             "tn": (~label_pos, ~pred_pos), "fn": (label_pos, ~pred_pos)}
    return {c: jnp.sum(jnp.where(cases[c][0] & cases[c][1], weights[None], 0), axis=1)
            for c in conditions}


def confusion_counts(y_true, y_pred, thresholds, conditions=CONDITIONS, *, top_k=None,
                     class_id=None, sample_weight=None, multi_label=False, label_weights=None,
                     evenly_distributed=None, dtype="float32"):
    """Counts (weighted) true/false positives/negatives of `y_pred > threshold`.

    Pure and jit-able; `thresholds`, `top_k` and `class_id` are static.

    Args:
        y_true: 0/1 labels (any nonzero value counts as 1).
        y_pred: scores in `[0, 1]`, the same shape as `y_true` (up to a trailing 1).
        thresholds: list of floats.
        conditions: which of `"tp"`, `"fp"`, `"tn"`, `"fn"` to count.
        top_k: keep only the `k` highest scores per sample (the rest count as negative).
        class_id: count a single class (column) only.
        sample_weight: per-sample weights, broadcastable to `y_true`.
        multi_label: keep the label axis: counts have shape `(thresholds, labels)`.
        label_weights: per-label weights (not with `multi_label`).
        evenly_distributed: use Keras's bucketed algorithm (thresholds `i / (n - 1)`);
            detected from the thresholds when `None`.
        dtype: dtype of the counts.

    Returns:
        A dict from condition to counts of shape `(len(thresholds),)` (or
        `(len(thresholds), labels)` with `multi_label`).

    Example:
        >>> c = confusion_counts(jnp.array([1, 0]), jnp.array([0.8, 0.6]), [0.5, 0.7])
        >>> c["tp"].tolist(), c["fp"].tolist()
        ([1.0, 1.0], [1.0, 0.0])
    """
    y_true = jnp.asarray(y_true).astype(dtype)
    y_pred = jnp.asarray(y_pred).astype(dtype)
    thresholds = list(thresholds)
    if evenly_distributed is None:
        evenly_distributed = is_evenly_distributed(thresholds)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = jnp.expand_dims(jnp.asarray(sample_weight, dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "Metric: class_id needs class scores. Expected y_pred of shape (num_samples, "
                f"num_classes). Received: y_pred={describe(y_pred)}. Drop class_id for binary "
                "predictions."
            )
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    weights = _weights(sample_weight, label_weights, y_pred, multi_label)
    counter = _bucketed_counts if evenly_distributed else _tiled_counts
    return counter(y_true, y_pred, thresholds, tuple(conditions), weights, multi_label)
