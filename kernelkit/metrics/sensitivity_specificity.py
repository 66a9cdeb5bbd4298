"""One rate at a constraint on another: `SensitivityAtSpecificity`, `PrecisionAtRecall`, ..."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.metrics.confusion import confusion_counts
from kernelkit.metrics.metric import Metric
from kernelkit.metrics.precision_recall import divide_no_nan
from kernelkit.registry import register_builtin

__all__ = ["PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
           "SensitivitySpecificityBase", "SpecificityAtSensitivity"]

_KEYS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


class SensitivitySpecificityBase(Metric):
    """Confusion counts at `num_thresholds` evenly spaced thresholds, and a constrained max.

    The result is the largest value of one rate over the thresholds where another rate is
    at least `value` (0 when none is). Subclasses name the two rates.

    Args:
        value: the lower bound of the constrained rate, in `[0, 1]`.
        num_thresholds: number of thresholds (> 0); 1 means the single threshold 0.5.
        class_id: count a single class (column) only.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = SensitivityAtSpecificity(0.5, num_thresholds=3)
        >>> isinstance(m, SensitivitySpecificityBase)
        True
    """

    _direction = "up"
    _value_name = "value"
    _rates = ("sensitivity", "specificity")  # (result rate, constrained rate)

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        who = f"{type(self).__name__} '{self.name}'"
        if value < 0 or value > 1:
            raise ValueError(
                f"{who}: {self._value_name} is outside [0, 1]. Expected a rate between 0 and "
                f"1. Received: {self._value_name}={value!r}. Pass e.g. 0.5."
            )
        if num_thresholds <= 0:
            raise ValueError(
                f"{who}: too few thresholds. Expected an integer num_thresholds > 0. "
                f"Received: num_thresholds={num_thresholds!r}. Use the default, 200."
            )
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0, *inner, 1.0], True

    def state_shapes(self):
        return {key: ((len(self.thresholds),), self.dtype) for key in _KEYS}

    def update(self, state, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, ("tp", "fp", "tn", "fn"),
                                  class_id=self.class_id, sample_weight=sample_weight,
                                  evenly_distributed=self._evenly, dtype=self.dtype)
        return {key: state[key] + counts[key[0] + ("p" if "positives" in key else "n")]
                for key in _KEYS}

    def compute(self, state):
        tp, fp, tn, fn = (state[key] for key in _KEYS)
        rates = {"sensitivity": divide_no_nan(tp, tp + fn), "recall": divide_no_nan(tp, tp + fn),
                 "specificity": divide_no_nan(tn, tn + fp),
                 "precision": divide_no_nan(tp, tp + fp)}
        result, constrained = (rates[name] for name in self._rates)
        feasible = constrained >= self.value
        return jnp.maximum(jnp.max(jnp.where(feasible, result, 0)), 0).astype(self.dtype)

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id,
                "num_thresholds": self.num_thresholds, self._value_name: self.value}


@register_builtin("keras.metrics")
class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) among the thresholds with specificity `>= specificity`.

    Args:
        specificity: the required specificity, in `[0, 1]`.
        num_thresholds: number of thresholds used to match the specificity.
        class_id: count a single class (column) only.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_name = "specificity"
    _rates = ("sensitivity", "specificity")

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.specificity = specificity


@register_builtin("keras.metrics")
class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity among the thresholds with sensitivity `>= sensitivity`.

    Args:
        sensitivity: the required sensitivity, in `[0, 1]`.
        num_thresholds: number of thresholds used to match the sensitivity.
        class_id: count a single class (column) only.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _value_name = "sensitivity"
    _rates = ("specificity", "sensitivity")

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.sensitivity = sensitivity


@register_builtin("keras.metrics")
class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision among the thresholds with recall `>= recall`.

    Args:
        recall: the required recall, in `[0, 1]`.
        num_thresholds: number of thresholds used to match the recall.
        class_id: count a single class (column) only.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_name = "recall"
    _rates = ("precision", "recall")

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.recall = recall


@register_builtin("keras.metrics")
class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall among the thresholds with precision `>= precision`.

    Args:
        precision: the required precision, in `[0, 1]`.
        num_thresholds: number of thresholds used to match the precision.
        class_id: count a single class (column) only.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.5
    """

    _value_name = "precision"
    _rates = ("recall", "precision")

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.precision = precision
