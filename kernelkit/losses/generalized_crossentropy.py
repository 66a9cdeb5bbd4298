"""Generalized crossentropy (Zhang & Sabuncu, 2018): a noise-robust loss for integer labels."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.losses.loss import BuiltinLoss
from kernelkit.registry import register_builtin

__all__ = ["CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy"]


@register_builtin("keras.losses")
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """`(1 - p ** q) / q`, where `p` is the predicted probability of the true class.

    Args:
        y_true: integer class labels, shape `(batch,)` or `(batch, 1)`.
        y_pred: class probabilities, shape `(batch, num_classes)`.
        q: the noise parameter in `(0, 1)`: near 0 it behaves like crossentropy, near 1
            like mean absolute error.

    Returns:
        The per-sample losses.

    Example:
        >>> y = categorical_generalized_cross_entropy(jnp.array([1]), jnp.array([[0.75, 0.25]]),
        ...                                           q=0.5)
        >>> y.tolist()
        [1.0]
    """
    y_pred = jnp.asarray(y_pred)
    one_hot = jax.nn.one_hot(jnp.asarray(y_true).astype("int32"), y_pred.shape[-1],
                             dtype=y_pred.dtype)
    p = jnp.sum(y_pred * one_hot, axis=-1)
    return (1 - jnp.power(p, q)) / q


@register_builtin("keras.losses")
class CategoricalGeneralizedCrossEntropy(BuiltinLoss):
    """Generalized crossentropy between integer labels and class probabilities.

    Args:
        q: the noise parameter, in the open interval `(0, 1)`.
        reduction: see `Loss`.
        name: name of the loss instance.
        dtype: dtype of the computation.

    Raises:
        ValueError: if `q` is not in `(0, 1)`.

    Example:
        >>> loss = CategoricalGeneralizedCrossEntropy(q=0.5)
        >>> float(loss(jnp.array([0, 1]), jnp.array([[0.25, 0.75], [0.25, 0.75]])))
        0.6339746117591858
    """

    _config_keys = ("q",)

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: q is outside (0, 1). Expected a float "
                f"strictly between 0 and 1. Received: q={q!r}. Use e.g. q=0.5."
            )
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name,
                         dtype=dtype, q=q)
