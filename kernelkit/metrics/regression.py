"""Regression metrics: MSE, MAE, MAPE, MSLE, RMSE, cosine similarity, log-cosh and R2."""

from __future__ import annotations

import warnings

import jax.numpy as jnp

from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank
from kernelkit.losses.regression import (
    l2_normalize,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kernelkit.metrics.mean import BuiltinMeanMetric, Mean
from kernelkit.metrics.metric import Metric
from kernelkit.registry import register_builtin

__all__ = [
    "CosineSimilarity", "LogCoshError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "R2Score", "RootMeanSquaredError",
    "cosine_similarity",
]


@register_builtin("keras.metrics")
def cosine_similarity(y_true, y_pred, axis=-1):
    """`sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)` (positive: 1 is best)."""
    y_pred = jnp.asarray(y_pred, "float32") if not jnp.issubdtype(
        jnp.asarray(y_pred).dtype, jnp.floating) else jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return jnp.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


@register_builtin("keras.metrics")
class MeanSquaredError(BuiltinMeanMetric):
    """Mean squared error over all samples seen.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]])
        >>> float(m.result())
        0.5
    """

    _direction = "down"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class MeanAbsoluteError(BuiltinMeanMetric):
    """Mean absolute error over all samples seen.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0.0, 1.0]], [[1.0, 3.0]])
        >>> float(m.result())
        1.5
    """

    _direction = "down"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class MeanAbsolutePercentageError(BuiltinMeanMetric):
    """Mean absolute percentage error over all samples seen.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[2.0, 4.0]], [[1.0, 4.0]])
        >>> float(m.result())
        25.0
    """

    _direction = "down"

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class MeanSquaredLogarithmicError(BuiltinMeanMetric):
    """Mean squared logarithmic error over all samples seen.

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0]], [[1.0]])
        >>> round(float(m.result()), 4)
        0.4805
    """

    _direction = "down"

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class CosineSimilarity(BuiltinMeanMetric):
    """Mean cosine similarity along `axis` (Keras's config omits `axis`; ours keeps it).

    Example:
        >>> m = CosineSimilarity()
        >>> m.update_state([[1.0, 0.0]], [[3.0, 0.0]])
        >>> float(m.result())
        1.0
    """

    _direction = "up"
    _config_keys = ("axis",)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


@register_builtin("keras.metrics")
class LogCoshError(BuiltinMeanMetric):
    """Mean log-cosh error over all samples seen.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0.0]], [[1.0]])
        >>> round(float(m.result()), 4)
        0.4338
    """

    _direction = "down"

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class RootMeanSquaredError(Mean):
    """Square root of the (weighted) mean squared error.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([0.0, 0.0], [3.0, 3.0])
        >>> float(m.result())
        3.0
    """

    _direction = "down"

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true, self.dtype)
        y_pred = jnp.asarray(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update(state, jnp.square(y_pred - y_true), sample_weight=sample_weight)

    def compute(self, state):
        return jnp.sqrt(super().compute(state))


_R2_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


@register_builtin("keras.metrics")
class R2Score(Metric):
    """Coefficient of determination for `(batch_size, outputs)` data.

    Args:
        class_aggregation: `"uniform_average"` (default), `"variance_weighted_average"` or
            `None` (one score per output).
        num_regressors: number of regressors, for the adjusted R2 (0: plain R2).
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
        >>> m = R2Score()
        >>> m.update_state(jnp.array([[1.0], [2.0], [3.0]]), jnp.array([[1.0], [2.0], [4.0]]))
        >>> float(m.result())
        0.5
    """

    _direction = "up"

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _R2_AGGREGATIONS:
            raise ValueError(
                f"R2Score: invalid class_aggregation. Expected one of {list(_R2_AGGREGATIONS)}. "
                f"Received: class_aggregation={class_aggregation!r}. Use 'uniform_average'."
            )
        if num_regressors < 0:
            raise ValueError(
                "R2Score: invalid num_regressors. Expected a value >= 0. Received: "
                f"num_regressors={num_regressors!r}. Use 0 for the plain R2 score."
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self._num_outputs = None
        self.built = False

    def build(self, y_true_shape=None, y_pred_shape=None):
        if (y_pred_shape is None or len(y_pred_shape) != 2 or y_pred_shape[-1] is None
                or y_true_shape is None or len(y_true_shape) not in (1, 2)):
            raise ValueError(
                "R2Score: expected 2-D inputs of shape (batch_size, output_dim) with a known "
                f"output_dim. Received: y_true_shape={y_true_shape!r}, "
                f"y_pred_shape={y_pred_shape!r}. Reshape the targets and predictions."
            )
        self._num_outputs = int(y_pred_shape[-1])
        self.built = True

    def state_shapes(self):
        per_output = ((self._num_outputs,), self.dtype)
        return {"num_samples": ((), self.dtype), "squared_sum": per_output, "sum": per_output,
                "residual": per_output, "count": per_output}

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true, self.dtype)
        y_pred = jnp.asarray(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        weight = jnp.asarray(1.0 if sample_weight is None else sample_weight, self.dtype)
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = jnp.broadcast_to(weight, y_true.shape)
        weighted = y_true * weight
        return {"num_samples": state["num_samples"] + y_true.size,
                "squared_sum": state["squared_sum"] + jnp.sum(y_true * weighted, axis=0),
                "sum": state["sum"] + jnp.sum(weighted, axis=0),
                "residual": state["residual"] + jnp.sum((y_true - y_pred) ** 2 * weight, axis=0),
                "count": state["count"] + jnp.sum(weight, axis=0)}

    def compute(self, state):
        mean = state["sum"] / state["count"]
        total = state["squared_sum"] - state["sum"] * mean
        raw = 1 - state["residual"] / total
        raw = jnp.where(jnp.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = jnp.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = jnp.sum(total * raw) / jnp.sum(total)
        else:
            score = raw
        if self.num_regressors:
            n, p = state["num_samples"], float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            # Keras falls back to the plain score (with a warning) when n - 1 <= p.
            score = jnp.where(n - 1.0 > p, adjusted, score)
        return score

    def result(self):
        n = float(self.state["num_samples"])
        if self.num_regressors and n - 1 <= self.num_regressors:
            warnings.warn("R2Score: more regressors than data points for the adjusted R2 "
                          "score; falling back to the standard R2 score.", stacklevel=2)
        return super().result()

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
