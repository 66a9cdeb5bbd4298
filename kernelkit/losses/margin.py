"""Margin (hinge) losses for -1/+1 (or 0/1) targets: hinge, squared hinge and categorical hinge."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.losses.loss import BuiltinLoss, as_float_pair
from kernelkit.registry import register_builtin

__all__ = [
    "CategoricalHinge", "Hinge", "SquaredHinge", "categorical_hinge", "hinge",
    "to_hinge_labels", "squared_hinge",
]

_REDUCE = "sum_over_batch_size"


def to_hinge_labels(y_true):
    """Maps 0/1 labels to -1/+1 when every label is 0 or 1; other labels pass unchanged.

    Example:
        >>> to_hinge_labels(jnp.array([0.0, 1.0])).tolist()
        [-1.0, 1.0]
    """
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


@register_builtin("keras.losses")
def hinge(y_true, y_pred):
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Example:
        >>> hinge(jnp.array([[1.0, 0.0]]), jnp.array([[0.5, -0.5]])).tolist()
        [0.5]
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    y_true = to_hinge_labels(y_true)
    return jnp.mean(jnp.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@register_builtin("keras.losses")
def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Example:
        >>> squared_hinge(jnp.array([[1.0, 0.0]]), jnp.array([[0.5, -0.5]])).tolist()
        [0.25]
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    y_true = to_hinge_labels(y_true)
    return jnp.mean(jnp.square(jnp.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@register_builtin("keras.losses")
def categorical_hinge(y_true, y_pred):
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over the last axis.

    Example:
        >>> y = categorical_hinge(jnp.array([[0.0, 1.0]]), jnp.array([[0.3, 0.7]]))
        >>> round(float(y[0]), 4)
        0.6
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    pos = jnp.sum(y_true * y_pred, axis=-1)
    neg = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(neg - pos + 1.0, 0.0)


@register_builtin("keras.losses")
class Hinge(BuiltinLoss):
    """Hinge loss.

    Example:
        >>> float(Hinge()(jnp.array([[1.0]]), jnp.array([[0.5]])))
        0.5
    """

    def __init__(self, reduction=_REDUCE, name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


@register_builtin("keras.losses")
class SquaredHinge(BuiltinLoss):
    """Squared hinge loss.

    Example:
        >>> float(SquaredHinge()(jnp.array([[1.0]]), jnp.array([[0.5]])))
        0.25
    """

    def __init__(self, reduction=_REDUCE, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


@register_builtin("keras.losses")
class CategoricalHinge(BuiltinLoss):
    """Categorical hinge loss.

    Example:
        >>> round(float(CategoricalHinge()(jnp.array([[0.0, 1.0]]), jnp.array([[0.3, 0.7]]))), 4)
        0.6
    """

    def __init__(self, reduction=_REDUCE, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
