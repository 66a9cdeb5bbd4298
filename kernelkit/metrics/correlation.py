"""Correlation metrics: Pearson's and Lin's concordance correlation, averaged over batches."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import epsilon
from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank
from kernelkit.metrics.mean import BuiltinMeanMetric
from kernelkit.registry import register_builtin

__all__ = ["ConcordanceCorrelation", "PearsonCorrelation", "concordance_correlation",
           "pearson_correlation"]


def _float_pair(y_true, y_pred):
    y_pred = jnp.asarray(y_pred)
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype("float32")
    return squeeze_or_expand_to_same_rank(jnp.asarray(y_true, y_pred.dtype), y_pred)


@register_builtin("keras.metrics")
def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's correlation coefficient of `y_true` and `y_pred` along `axis`.

    Args:
        y_true: targets.
        y_pred: predictions, the same shape as `y_true`.
        axis: the axis along which the correlation is taken.

    Returns:
        The correlation, with `axis` reduced.

    Example:
        >>> round(float(pearson_correlation(jnp.array([1.0, 2.0, 3.0]),
        ...                                 jnp.array([2.0, 4.0, 7.0]))), 4)
        0.9934
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    true_centered = y_true - jnp.mean(y_true, axis=axis, keepdims=True)
    pred_centered = y_pred - jnp.mean(y_pred, axis=axis, keepdims=True)
    true_centered = true_centered / jnp.std(true_centered, axis=axis, keepdims=True)
    pred_centered = pred_centered / jnp.std(pred_centered, axis=axis, keepdims=True)
    return jnp.mean(true_centered * pred_centered, axis=axis)


@register_builtin("keras.metrics")
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along `axis`, as Keras 3 computes it.

    The covariance term is `mean((y_true - mean(y_pred)) * (y_pred - mean(y_pred)))`:
    Keras 3 centres both factors on the mean of `y_pred`, and so does this function.

    Args:
        y_true: targets.
        y_pred: predictions, the same shape as `y_true`.
        axis: the axis along which the coefficient is taken.

    Returns:
        The coefficient, with `axis` reduced.

    Example:
        >>> round(float(concordance_correlation(jnp.array([1.0, 2.0, 3.0]),
        ...                                     jnp.array([1.0, 2.0, 3.0]))), 4)
        1.0
    """
    y_true, y_pred = _float_pair(y_true, y_pred)
    true_mean = jnp.mean(y_true, axis=axis, keepdims=True)
    pred_mean = jnp.mean(y_pred, axis=axis, keepdims=True)
    true_var = jnp.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = jnp.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + jnp.square(true_mean - pred_mean)
    return jnp.mean(2 * covariance / (norm + epsilon()), axis=axis)


@register_builtin("keras.metrics")
class PearsonCorrelation(BuiltinMeanMetric):
    """Pearson's correlation along `axis`, averaged over all samples seen.

    Args:
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        axis: the axis along which the correlation is taken.

    Example:
        >>> m = PearsonCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0]], [[2.0, 4.0, 6.0]])
        >>> round(float(m.result()), 4)
        1.0
    """

    _direction = "up"
    _config_keys = ("axis",)

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)


@register_builtin("keras.metrics")
class ConcordanceCorrelation(BuiltinMeanMetric):
    """Lin's concordance correlation along `axis`, averaged over all samples seen.

    Args:
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        axis: the axis along which the coefficient is taken.

    Example:
        >>> m = ConcordanceCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0]], [[1.0, 2.0, 3.0]])
        >>> round(float(m.result()), 4)
        1.0
    """

    _direction = "up"
    _config_keys = ("axis",)

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
