"""`FBetaScore` and `F1Score`: harmonic means of precision and recall, per class or averaged."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import epsilon
from kernelkit.metrics.metric import Metric
from kernelkit.registry import register_builtin

__all__ = ["F1Score", "FBetaScore"]

_AVERAGES = (None, "micro", "macro", "weighted")
_KEYS = ("true_positives", "false_positives", "false_negatives", "intermediate_weights")


@register_builtin("keras.metrics")
class FBetaScore(Metric):
    """F-beta score for multi-class or multi-label data of shape `(batch_size, classes)`.

    Args:
        average: `None` (one score per class), `"micro"`, `"macro"` or `"weighted"`.
        beta: weight of recall relative to precision (a float > 0).
        threshold: predictions above it count as 1; `None` marks the argmax of each row.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state(jnp.array([[1, 0], [0, 1]]), jnp.array([[0.9, 0.2], [0.6, 0.4]]))
        >>> [round(v, 3) for v in m.result().tolist()]
        [0.833, 0.0]
    """

    _direction = "up"

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        who = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(
                f"{who}: invalid average. Expected one of {list(_AVERAGES)}. "
                f"Received: average={average!r}. Use None for per-class scores."
            )
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(
                f"{who}: invalid beta. Expected a Python float > 0. Received: beta={beta!r}. "
                "Pass e.g. beta=1.0."
            )
        if threshold is not None and (not isinstance(threshold, float)
                                      or not 0.0 < threshold <= 1.0):
            raise ValueError(
                f"{who}: invalid threshold. Expected a Python float with 0 < threshold <= 1. "
                f"Received: threshold={threshold!r}. Pass e.g. threshold=0.5, or None for "
                "the argmax."
            )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._num_classes = None
        self.built = False

    def build(self, y_true_shape=None, y_pred_shape=None):
        if (y_true_shape is None or y_pred_shape is None or len(y_pred_shape) != 2
                or len(y_true_shape) != 2 or y_pred_shape[-1] is None):
            raise ValueError(
                f"{type(self).__name__}: expected 2-D inputs of shape (batch_size, "
                f"output_dim) with a known output_dim. Received: y_true_shape={y_true_shape!r}, "
                f"y_pred_shape={y_pred_shape!r}. Reshape the targets and predictions."
            )
        self._num_classes = int(y_pred_shape[-1])
        self.built = True

    def state_shapes(self):
        shape = () if self.average == "micro" else (self._num_classes,)
        return {key: (shape, self.dtype) for key in _KEYS}

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        if self.threshold is None:
            top = jnp.max(y_pred, axis=-1, keepdims=True)
            y_pred = (y_pred >= top) & (jnp.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.astype(self.dtype)
        weight = None if sample_weight is None else jnp.asarray(sample_weight, self.dtype)

        def weighted_sum(value):
            if weight is not None:
                value = value * jnp.expand_dims(weight, 1)
            return jnp.sum(value, axis=self.axis)

        increments = (y_pred * y_true, y_pred * (1 - y_true), (1 - y_pred) * y_true, y_true)
        return {key: state[key] + weighted_sum(inc) for key, inc in zip(_KEYS, increments)}

    def compute(self, state):
        tp, fp, fn, support = (state[key] for key in _KEYS)
        precision = tp / (tp + fp + epsilon())
        recall = tp / (tp + fn + epsilon())
        beta2 = self.beta ** 2
        score = (1 + beta2) * precision * recall / (beta2 * precision + recall + epsilon())
        if self.average == "weighted":
            return jnp.sum(score * support / (jnp.sum(support) + epsilon()))
        if self.average is not None:
            return jnp.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


@register_builtin("keras.metrics")
class F1Score(FBetaScore):
    """F1 score: `FBetaScore` with `beta=1`.

    Example:
        >>> m = F1Score(average="micro", threshold=0.5)
        >>> m.update_state(jnp.array([[1, 0], [0, 1]]), jnp.array([[0.9, 0.2], [0.1, 0.8]]))
        >>> round(float(m.result()), 4)
        1.0
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
