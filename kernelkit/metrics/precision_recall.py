"""Thresholded counts (`TruePositives`, ...), `Precision` and `Recall`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.metrics.confusion import NEG_INF, confusion_counts, parse_thresholds
from kernelkit.metrics.metric import Metric
from kernelkit.registry import register_builtin

__all__ = ["FalseNegatives", "FalsePositives", "Precision", "Recall", "TrueNegatives",
           "TruePositives", "divide_no_nan"]


def divide_no_nan(x, y):
    """`x / y`, with 0 where `y == 0`.

    Example:
        >>> divide_no_nan(jnp.array([1.0, 1.0]), jnp.array([2.0, 0.0])).tolist()
        [0.5, 0.0]
    """
    safe = jnp.where(y == 0, 1, y)
    return jnp.where(y == 0, 0, x / safe)


class _ConditionCount(Metric):
    """Counts one confusion-matrix condition at each threshold."""

    _condition = "tp"

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5, type(self).__name__)

    def state_shapes(self):
        return {"accumulator": ((len(self.thresholds),), self.dtype)}

    def update(self, state, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, (self._condition,),
                                  sample_weight=sample_weight, dtype=self.dtype)
        return {"accumulator": state["accumulator"] + counts[self._condition]}

    def compute(self, state):
        acc = state["accumulator"]
        return acc[0] if len(self.thresholds) == 1 else acc

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@register_builtin("keras.metrics")
class TruePositives(_ConditionCount):
    """Weighted count of true positives at each threshold (default 0.5).

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _condition = "tp"


@register_builtin("keras.metrics")
class FalsePositives(_ConditionCount):
    """Weighted count of false positives at each threshold (default 0.5).

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _condition = "fp"


@register_builtin("keras.metrics")
class TrueNegatives(_ConditionCount):
    """Weighted count of true negatives at each threshold (default 0.5).

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _condition = "tn"


@register_builtin("keras.metrics")
class FalseNegatives(_ConditionCount):
    """Weighted count of false negatives at each threshold (default 0.5).

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _condition = "fn"


class _PrecisionRecall(Metric):
    _direction = "up"
    _other = ("false_positives", "fp")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default, type(self).__name__)

    def state_shapes(self):
        shape = ((len(self.thresholds),), self.dtype)
        return {"true_positives": shape, self._other[0]: shape}

    def update(self, state, y_true, y_pred, sample_weight=None):
        key, cond = self._other
        counts = confusion_counts(y_true, y_pred, self.thresholds, ("tp", cond),
                                  top_k=self.top_k, class_id=self.class_id,
                                  sample_weight=sample_weight, dtype=self.dtype)
        return {"true_positives": state["true_positives"] + counts["tp"],
                key: state[key] + counts[cond]}

    def compute(self, state):
        tp = state["true_positives"]
        value = divide_no_nan(tp, tp + state[self._other[0]])
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


@register_builtin("keras.metrics")
class Precision(_PrecisionRecall):
    """`tp / (tp + fp)` at each threshold, optionally for the `top_k` or a `class_id`.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = ("false_positives", "fp")


@register_builtin("keras.metrics")
class Recall(_PrecisionRecall):
    """`tp / (tp + fn)` at each threshold, optionally for the `top_k` or a `class_id`.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _other = ("false_negatives", "fn")
