"""Regression losses: squared, absolute, percentage, logarithmic, Huber, log-cosh, cosine."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.config import epsilon
from kernelkit.losses.loss import BuiltinLoss, as_float_pair
from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank
from kernelkit.registry import register_builtin

__all__ = [
    "CosineSimilarity", "Huber", "LogCosh", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "cosine_similarity", "huber",
    "l2_normalize", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error",
]

_REDUCE = "sum_over_batch_size"


def _pair(y_true, y_pred):
    return squeeze_or_expand_to_same_rank(*as_float_pair(y_true, y_pred))


@register_builtin("keras.losses")
def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_squared_error(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 1.0]])).tolist()
        [0.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return jnp.mean(jnp.square(y_true - y_pred), axis=-1)


@register_builtin("keras.losses")
def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_absolute_error(jnp.array([[0.0, 1.0]]), jnp.array([[1.0, 3.0]])).tolist()
        [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)


@register_builtin("keras.losses")
def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Example:
        >>> y = mean_absolute_percentage_error(jnp.array([[2.0, 4.0]]), jnp.array([[1.0, 4.0]]))
        >>> y.tolist()
        [25.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), epsilon()))
    return 100.0 * jnp.mean(diff, axis=-1)


@register_builtin("keras.losses")
def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, inputs floored at epsilon.

    Example:
        >>> y = mean_squared_logarithmic_error(jnp.array([[0.0]]), jnp.array([[1.0]]))
        >>> round(float(y[0]), 4)
        0.4805
    """
    y_true, y_pred = _pair(y_true, y_pred)
    first = jnp.log(jnp.maximum(y_pred, epsilon()) + 1.0)
    second = jnp.log(jnp.maximum(y_true, epsilon()) + 1.0)
    return jnp.mean(jnp.square(first - second), axis=-1)


def l2_normalize(x, axis=-1):
    """Divides `x` by its L2 norm along `axis` (zero vectors stay zero), as Keras does."""
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jnp.minimum(jax.lax.rsqrt(square_sum), 1.0 / epsilon())


@register_builtin("keras.losses")
def cosine_similarity(y_true, y_pred, axis=-1):
    """`-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: -1 means the same direction.

    Example:
        >>> cosine_similarity(jnp.array([[1.0, 0.0]]), jnp.array([[2.0, 0.0]])).tolist()
        [-1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -jnp.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


@register_builtin("keras.losses")
def huber(y_true, y_pred, delta=1.0):
    """Quadratic for `|error| <= delta`, linear beyond; averaged over the last axis.

    Example:
        >>> huber(jnp.array([[0.0, 0.0]]), jnp.array([[0.5, 2.0]])).tolist()
        [0.8125]
    """
    y_true, y_pred = _pair(y_true, y_pred)
    delta = jnp.asarray(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = jnp.abs(error)
    values = jnp.where(abs_error <= delta, 0.5 * jnp.square(error),
                       delta * abs_error - 0.5 * jnp.square(delta))
    return jnp.mean(values, axis=-1)


@register_builtin("keras.losses")
def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow.

    Example:
        >>> round(float(log_cosh(jnp.array([[0.0]]), jnp.array([[1.0]]))[0]), 4)
        0.4338
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return jnp.mean(x + jax.nn.softplus(-2.0 * x) - jnp.log(2.0).astype(x.dtype), axis=-1)


@register_builtin("keras.losses")
class MeanSquaredError(BuiltinLoss):
    """Mean of squared errors (`mse`).

    Example:
        >>> float(MeanSquaredError()(jnp.array([1.0, 0.0]), jnp.array([0.0, 0.0])))
        0.5
    """

    def __init__(self, reduction=_REDUCE, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


@register_builtin("keras.losses")
class MeanAbsoluteError(BuiltinLoss):
    """Mean of absolute errors (`mae`).

    Example:
        >>> float(MeanAbsoluteError()(jnp.array([1.0, 0.0]), jnp.array([0.0, 0.0])))
        0.5
    """

    def __init__(self, reduction=_REDUCE, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


@register_builtin("keras.losses")
class MeanAbsolutePercentageError(BuiltinLoss):
    """Mean absolute percentage error (`mape`).

    Example:
        >>> float(MeanAbsolutePercentageError()(jnp.array([[2.0, 4.0]]), jnp.array([[1.0, 4.0]])))
        25.0
    """

    def __init__(self, reduction=_REDUCE, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name,
                         dtype=dtype)


@register_builtin("keras.losses")
class MeanSquaredLogarithmicError(BuiltinLoss):
    """Mean squared logarithmic error (`msle`).

    Example:
        >>> loss = MeanSquaredLogarithmicError()
        >>> round(float(loss(jnp.array([[0.0]]), jnp.array([[1.0]]))), 4)
        0.4805
    """

    def __init__(self, reduction=_REDUCE, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name,
                         dtype=dtype)


@register_builtin("keras.losses")
class CosineSimilarity(BuiltinLoss):
    """Negative cosine similarity along `axis` (Keras's config omits `axis`; ours keeps it).

    Example:
        >>> float(CosineSimilarity()(jnp.array([[1.0, 0.0]]), jnp.array([[3.0, 0.0]])))
        -1.0
    """

    _config_keys = ("axis",)

    def __init__(self, axis=-1, reduction=_REDUCE, name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)


@register_builtin("keras.losses")
class Huber(BuiltinLoss):
    """Huber loss with threshold `delta` (Keras's config omits `delta`; ours keeps it).

    Example:
        >>> float(Huber(delta=1.0)(jnp.array([[0.0]]), jnp.array([[2.0]])))
        1.5
    """

    _config_keys = ("delta",)

    def __init__(self, delta=1.0, reduction=_REDUCE, name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


@register_builtin("keras.losses")
class LogCosh(BuiltinLoss):
    """Logarithm of the hyperbolic cosine of the error.

    Example:
        >>> round(float(LogCosh()(jnp.array([[0.0]]), jnp.array([[1.0]]))), 4)
        0.4338
    """

    def __init__(self, reduction=_REDUCE, name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)
