"""Probabilistic losses: the crossentropies (binary, categorical, sparse, focal), KL, Poisson."""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.config import epsilon
from kernelkit.errors import describe
from kernelkit.losses.loss import BuiltinLoss, as_float_pair
from kernelkit.registry import register_builtin

__all__ = [
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "KLDivergence", "Poisson", "SparseCategoricalCrossentropy",
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "kl_divergence", "poisson",
    "sparse_categorical_crossentropy",
]

_REDUCE = "sum_over_batch_size"


def _check_same_shape(who, y_true, y_pred):
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{who}: y_true and y_pred have different shapes. Expected the same shape. "
            f"Received: y_true={describe(y_true)}, y_pred={describe(y_pred)}. Reshape the "
            "targets, or use sparse_categorical_crossentropy for integer class labels."
        )


def _check_axis(who, axis):
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(
            f"{who}: axis must be an int. Expected an integer axis such as -1. "
            f"Received: axis={axis!r}."
        )


def _warn_single_class(who, y_pred):
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {who}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=3)


def _log_probabilities(y_pred, from_logits, axis):
    if from_logits:
        return jax.nn.log_softmax(y_pred, axis=axis)
    probs = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    return jnp.log(jnp.clip(probs, epsilon(), 1.0 - epsilon()))


def _elementwise_bce(y_true, y_pred, from_logits):
    if from_logits:
        return -y_true * jax.nn.log_sigmoid(y_pred) - (1.0 - y_true) * jax.nn.log_sigmoid(-y_pred)
    y_pred = jnp.clip(y_pred, epsilon(), 1.0 - epsilon())
    return -(y_true * jnp.log(y_pred) + (1.0 - y_true) * jnp.log(1.0 - y_pred))


@register_builtin("keras.losses")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy averaged over `axis`; labels are squeezed towards 0.5 by smoothing.

    Example:
        >>> y = binary_crossentropy(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))
        >>> round(float(y[0]), 4)
        0.6931
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return jnp.mean(_elementwise_bce(y_true, y_pred, from_logits), axis=axis)


@register_builtin("keras.losses")
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by `(1 - p_t) ** gamma` (and `alpha` class balancing).

    Example:
        >>> y = binary_focal_crossentropy(jnp.array([[1.0]]), jnp.array([[0.5]]))
        >>> round(float(y[0]), 4)
        0.1733
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    _check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = jax.nn.sigmoid(y_pred)
    bce = _elementwise_bce(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = jnp.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return jnp.mean(focal_bce, axis=axis)


@register_builtin("keras.losses")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and class probabilities or logits.

    Example:
        >>> y = categorical_crossentropy(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))
        >>> round(float(y[0]), 4)
        0.6931
    """
    _check_axis("categorical_crossentropy", axis)
    y_true, y_pred = as_float_pair(y_true, y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    _warn_single_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    return -jnp.sum(y_true * _log_probabilities(y_pred, from_logits, axis), axis=axis)


@register_builtin("keras.losses")
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical crossentropy scaled by `alpha * (1 - p) ** gamma` per class.

    Example:
        >>> y = categorical_focal_crossentropy(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))
        >>> round(float(y[0]), 4)
        0.0433
    """
    _check_axis("categorical_focal_crossentropy", axis)
    y_true, y_pred = as_float_pair(y_true, y_pred)
    _check_same_shape("categorical_focal_crossentropy", y_true, y_pred)
    _warn_single_class("categorical_focal_crossentropy", y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = jax.nn.softmax(y_pred, axis=axis)
    output = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    output = jnp.clip(output, epsilon(), 1.0 - epsilon())
    cce = -y_true * jnp.log(output)
    weight = jnp.power(1.0 - output, gamma) * jnp.asarray(alpha, output.dtype)
    return jnp.sum(weight * cce, axis=axis)


def _check_label_range(y_true, num_classes, ignore_class):
    """Raises on labels outside `[0, num_classes)` when the labels are concrete (eager)."""
    if isinstance(y_true, jax.core.Tracer):
        return
    labels = np.asarray(y_true)
    if ignore_class is not None:
        labels = labels[labels != ignore_class]
    bad = labels[(labels < 0) | (labels >= num_classes)]
    if bad.size:
        raise ValueError(
            "sparse_categorical_crossentropy: a label is out of range. Expected integer "
            f"labels in [0, {num_classes}) for y_pred with {num_classes} classes. Received: "
            f"y_true containing {bad.flat[0]!r} ({bad.size} label(s) out of range). Check the "
            "labels, the size of the output layer, or pass ignore_class for a void label."
        )


def sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits=False,
                                              ignore_class=None, axis=-1):
    """Returns `(losses, mask)`; `mask` is `None` unless `ignore_class` is set."""
    y_pred = jnp.asarray(y_pred)
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype("float32")
    y_true = jnp.asarray(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = jnp.squeeze(y_true, axis=axis)
    class_axis = axis % y_pred.ndim
    expected = y_pred.shape[:class_axis] + y_pred.shape[class_axis + 1:]
    if y_true.shape != expected:
        raise ValueError(
            "sparse_categorical_crossentropy: y_true does not match y_pred. Expected integer "
            f"labels of shape {expected} (or with a trailing 1) for y_pred={describe(y_pred)}. "
            f"Received: y_true={describe(y_true)}. Use categorical_crossentropy for one-hot "
            "targets."
        )
    num_classes = y_pred.shape[class_axis]
    _check_label_range(y_true, num_classes, ignore_class)
    labels = y_true.astype("int32")
    mask = None
    if ignore_class is not None:
        mask = labels != int(ignore_class)
        labels = jnp.where(mask, labels, 0)
        y_pred = jnp.where(jnp.expand_dims(mask, axis), y_pred, 0)
    log_prob = _log_probabilities(y_pred, from_logits, axis)
    one_hot = jax.nn.one_hot(labels, num_classes, dtype=log_prob.dtype, axis=axis)
    losses = -jnp.sum(one_hot * log_prob, axis=axis)
    if mask is not None:
        losses = jnp.where(mask, losses, 0.0)
    return losses, mask


@register_builtin("keras.losses")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Crossentropy between integer labels (shape `(N,)` or `(N, 1)`) and class scores.

    Labels outside `[0, num_classes)` raise `ValueError` when called eagerly; entries equal
    to `ignore_class` get a loss of 0.

    Example:
        >>> y = sparse_categorical_crossentropy(jnp.array([1]), jnp.array([[0.5, 0.5]]))
        >>> round(float(y[0]), 4)
        0.6931
    """
    return sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits,
                                                     ignore_class, axis)[0]


@register_builtin("keras.losses")
def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`.

    Example:
        >>> round(float(kl_divergence(jnp.array([[1.0, 0.0]]), jnp.array([[0.5, 0.5]]))[0]), 4)
        0.6931
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    y_true = jnp.clip(y_true, epsilon(), 1)
    y_pred = jnp.clip(y_pred, epsilon(), 1)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


@register_builtin("keras.losses")
def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    Example:
        >>> round(float(poisson(jnp.array([[1.0]]), jnp.array([[1.0]]))[0]), 4)
        1.0
    """
    y_true, y_pred = as_float_pair(y_true, y_pred)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + epsilon()), axis=-1)


@register_builtin("keras.losses")
class BinaryCrossentropy(BuiltinLoss):
    """Binary crossentropy for 0/1 targets (`from_logits`, `label_smoothing`, `axis`).

    Example:
        >>> loss = BinaryCrossentropy(from_logits=True)
        >>> round(float(loss(jnp.array([[1.0]]), jnp.array([[0.0]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_REDUCE,
                 name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@register_builtin("keras.losses")
class BinaryFocalCrossentropy(BuiltinLoss):
    """Binary focal crossentropy (Lin et al., 2018).

    Example:
        >>> loss = BinaryFocalCrossentropy()
        >>> round(float(loss(jnp.array([[1.0]]), jnp.array([[0.5]]))), 4)
        0.1733
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha",
                    "gamma")

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction=_REDUCE,
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@register_builtin("keras.losses")
class CategoricalCrossentropy(BuiltinLoss):
    """Categorical crossentropy for one-hot targets (`from_logits`, `label_smoothing`, `axis`).

    Example:
        >>> loss = CategoricalCrossentropy()
        >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_REDUCE,
                 name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@register_builtin("keras.losses")
class CategoricalFocalCrossentropy(BuiltinLoss):
    """Categorical focal crossentropy.

    Example:
        >>> loss = CategoricalFocalCrossentropy()
        >>> round(float(loss(jnp.array([[0.0, 1.0]]), jnp.array([[0.5, 0.5]]))), 4)
        0.0433
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_REDUCE, name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


@register_builtin("keras.losses")
class SparseCategoricalCrossentropy(BuiltinLoss):
    """Crossentropy for integer labels; `ignore_class` entries are left out of the mean.

    Example:
        >>> loss = SparseCategoricalCrossentropy(from_logits=True)
        >>> round(float(loss(jnp.array([0]), jnp.array([[0.0, 0.0]]))), 4)
        0.6931
    """

    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(self, from_logits=False, ignore_class=None, reduction=_REDUCE, axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)

    def call_with_mask(self, y_true, y_pred):
        return sparse_categorical_crossentropy_with_mask(y_true, y_pred, **self._fn_kwargs)


@register_builtin("keras.losses")
class KLDivergence(BuiltinLoss):
    """Kullback-Leibler divergence (`kld`).

    Example:
        >>> round(float(KLDivergence()(jnp.array([[1.0, 0.0]]), jnp.array([[0.5, 0.5]]))), 4)
        0.6931
    """

    def __init__(self, reduction=_REDUCE, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


@register_builtin("keras.losses")
class Poisson(BuiltinLoss):
    """Poisson loss.

    Example:
        >>> round(float(Poisson()(jnp.array([[1.0]]), jnp.array([[1.0]]))), 4)
        1.0
    """

    def __init__(self, reduction=_REDUCE, name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
