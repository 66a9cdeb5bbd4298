"""`AUC`: area under the ROC or precision-recall curve, by Riemann sum over thresholds."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.config import epsilon
from kernelkit.metrics.confusion import confusion_counts, is_evenly_distributed
from kernelkit.metrics.metric import Metric
from kernelkit.metrics.precision_recall import divide_no_nan
from kernelkit.registry import register_builtin

__all__ = ["AUC"]

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")
_KEYS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def _standardize_curve(curve):
    if str(curve).lower() not in _CURVES:
        raise ValueError(
            f"AUC: invalid curve. Expected one of {list(_CURVES.values())}. "
            f"Received: curve={curve!r}. Use 'ROC' or 'PR'."
        )
    return _CURVES[str(curve).lower()]


def _standardize_summation(method):
    if str(method).lower() not in _SUMMATIONS:
        raise ValueError(
            f"AUC: invalid summation_method. Expected one of {list(_SUMMATIONS)}. "
            f"Received: summation_method={method!r}. Use 'interpolation' (the default)."
        )
    return str(method).lower()


@register_builtin("keras.metrics")
class AUC(Metric):
    """Approximates the area under the ROC or PR curve with `num_thresholds` thresholds.

    Args:
        num_thresholds: number of thresholds (> 1), evenly spaced in `[0, 1]`.
        curve: `"ROC"` (default), `"PR"` or `"PRGAIN"`.
        summation_method: `"interpolation"` (default; Davis & Goadrich interpolation for
            PR), `"majoring"` or `"minoring"`.
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        thresholds: explicit thresholds in `[0, 1]` (overrides `num_thresholds`).
        multi_label: keep one curve per label and average them.
        num_labels: number of labels with `multi_label` (else taken from the first batch).
        label_weights: per-label weights for the average (or the counts, without
            `multi_label`).
        from_logits: apply a sigmoid to the predictions first.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> round(float(m.result()), 4)
        0.75
    """

    _direction = "up"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        self.curve = _standardize_curve(curve)
        self.summation_method = _standardize_summation(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(thresholds) + 2
            self._evenly = is_evenly_distributed(np.array([0.0, *thresholds, 1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "AUC: too few thresholds. Expected num_thresholds > 1. Received: "
                    f"num_thresholds={num_thresholds!r}. Use the default, 200."
                )
            self.num_thresholds = int(num_thresholds)
            thresholds = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self._thresholds = [0.0 - epsilon(), *thresholds, 1.0 + epsilon()]
        if num_labels and not multi_label:
            raise ValueError(
                "AUC: num_labels is only used with multi_label=True. Expected num_labels=None. "
                f"Received: num_labels={num_labels!r}. Set multi_label=True or drop num_labels."
            )
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else [float(w) for w in np.ravel(label_weights)])
        self.from_logits = from_logits
        self._num_labels = num_labels
        self.built = not multi_label or bool(num_labels)

    @property
    def thresholds(self) -> list:
        """All thresholds, including the two just outside `[0, 1]`."""
        return list(self._thresholds)

    def build(self, y_true_shape=None, y_pred_shape=None):
        if self.multi_label and not self.num_labels:
            if y_pred_shape is None or len(y_pred_shape) != 2:
                raise ValueError(
                    "AUC: multi_label=True needs 2-D predictions. Expected y_pred of shape "
                    f"(batch_size, num_labels). Received: y_pred_shape={y_pred_shape!r}. "
                    "Reshape the predictions or pass num_labels."
                )
            self._num_labels = int(y_pred_shape[1])
        self.built = True

    def state_shapes(self):
        shape = ((self.num_thresholds, self._num_labels) if self.multi_label
                 else (self.num_thresholds,))
        return {key: (shape, self.dtype) for key in _KEYS}

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_pred = jnp.asarray(y_pred)
        if self.from_logits:
            y_pred = jax.nn.sigmoid(y_pred)
        label_weights = None if self.multi_label else self.label_weights
        counts = confusion_counts(y_true, y_pred, self._thresholds, ("tp", "fp", "tn", "fn"),
                                  sample_weight=sample_weight, multi_label=self.multi_label,
                                  label_weights=label_weights, evenly_distributed=self._evenly,
                                  dtype=self.dtype)
        return {key: state[key] + counts[key[0] + ("p" if "positives" in key else "n")]
                for key in _KEYS}

    def _average(self, by_threshold):
        if not self.multi_label:
            return jnp.sum(by_threshold)
        by_label = jnp.sum(by_threshold, axis=0)
        if self.label_weights is None:
            return jnp.mean(by_label)
        weights = jnp.asarray(self.label_weights, by_label.dtype)
        return divide_no_nan(jnp.sum(by_label * weights), jnp.sum(weights))

    def _interpolate_pr_auc(self, tp, fp, fn):
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = jnp.where((p[:-1] > 0) & (p[1:] > 0),
                          divide_no_nan(p[:-1], jnp.maximum(p[1:], 0)), jnp.ones_like(p[1:]))
        increment = divide_no_nan(slope * (dtp + intercept * jnp.log(ratio)),
                                  jnp.maximum(tp[1:] + fn[1:], 0))
        return self._average(increment)

    def _curve_points(self, tp, fp, tn, fn):
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            return divide_no_nan(fp, fp + tn), recall
        if self.curve == "PR":
            return recall, divide_no_nan(tp, tp + fp)
        scale = divide_no_nan(tp + fn, tn + fp)
        recall_gain = jnp.where(tp == 0, 0.0, 1.0 - scale * divide_no_nan(fn, tp))
        precision_gain = jnp.where(tp == 0, 1.0, 1.0 - scale * divide_no_nan(fp, tp))
        return jnp.maximum(recall_gain, 0.0), precision_gain

    def compute(self, state):
        tp, fp, tn, fn = (state[key] for key in _KEYS)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc(tp, fp, fn)
        x, y = self._curve_points(tp, fp, tn, fn)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = jnp.minimum(y[:-1], y[1:])
        else:
            heights = jnp.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": self.label_weights, "from_logits": self.from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self._thresholds[1:-1]
        return config
