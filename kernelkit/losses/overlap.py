"""Overlap losses for segmentation masks: Dice and Tversky (1 - a soft overlap ratio)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import epsilon
from kernelkit.losses.loss import BuiltinLoss, as_float_pair
from kernelkit.registry import register_builtin

__all__ = ["Dice", "Tversky", "dice", "tversky"]

_REDUCE = "sum_over_batch_size"


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@register_builtin("keras.losses")
def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))` over `axis`.

    Args:
        y_true: targets (masks of 0s and 1s).
        y_pred: predicted probabilities, the same shape as `y_true`.
        axis: the axes summed over; `None` sums over everything (a scalar loss).

    Returns:
        The Dice loss, with the axes in `axis` reduced.

    Example:
        >>> y_true = jnp.array([[1.0, 1.0, 0.0, 0.0]])
        >>> y_pred = jnp.array([[0.0, 1.0, 0.0, 1.0]])
        >>> round(float(dice(y_true, y_pred)), 4)
        0.5
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    axis = _axis(axis)
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    total = jnp.sum(y_true, axis=axis) + jnp.sum(y_pred, axis=axis) + epsilon()
    return 1 - 2.0 * intersection / total


@register_builtin("keras.losses")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * FN + beta * FP)` with soft counts over `axis`.

    Here the soft counts are `TP = sum(y_true * y_pred)`, `alpha` weights
    `sum(y_true * (1 - y_pred))` and `beta` weights `sum((1 - y_true) * y_pred)`, as in
    Keras. `alpha = beta = 0.5` gives the Dice loss.

    Args:
        y_true: targets (masks of 0s and 1s).
        y_pred: predicted probabilities, the same shape as `y_true`.
        alpha: weight of the missed positives.
        beta: weight of the false alarms.
        axis: the axes summed over; `None` sums over everything (a scalar loss).

    Returns:
        The Tversky loss, with the axes in `axis` reduced.

    Example:
        >>> y_true = jnp.array([[1.0, 1.0, 0.0, 0.0]])
        >>> y_pred = jnp.array([[0.0, 1.0, 0.0, 1.0]])
        >>> round(float(tversky(y_true, y_pred, alpha=0.7, beta=0.3)), 4)
        0.5
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    axis = _axis(axis)
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    missed = jnp.sum((1 - y_pred) * y_true, axis=axis)
    false_alarms = jnp.sum(y_pred * (1 - y_true), axis=axis)
    denominator = intersection + missed * alpha + false_alarms * beta + epsilon()
    return 1 - intersection / denominator


@register_builtin("keras.losses")
class Dice(BuiltinLoss):
    """Dice loss, `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        reduction: see `Loss`.
        name: name of the loss instance.
        axis: the axes summed over; `None` sums over everything.
        dtype: dtype of the computation.

    Example:
        >>> y_true = jnp.ones((2, 4))
        >>> round(float(Dice(axis=1)(y_true, 0.5 * y_true)), 4)
        0.3333
    """

    _config_keys = ("axis",)

    def __init__(self, reduction=_REDUCE, name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)


@register_builtin("keras.losses")
class Tversky(BuiltinLoss):
    """Tversky loss: Dice with separate weights for missed positives and false alarms.

    Args:
        alpha: weight of the missed positives.
        beta: weight of the false alarms.
        reduction: see `Loss`.
        name: name of the loss instance.
        axis: the axes summed over; `None` sums over everything.
        dtype: dtype of the computation.

    Example:
        >>> y_true = jnp.ones((2, 4))
        >>> round(float(Tversky(axis=1)(y_true, 0.5 * y_true)), 4)
        0.3333
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction=_REDUCE, name="tversky", axis=None,
                 dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
