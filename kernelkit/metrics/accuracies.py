"""Accuracy metrics: exact, binary, categorical, sparse categorical and top-k."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import floatx
from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank
from kernelkit.metrics.mean import BuiltinMeanMetric
from kernelkit.registry import register_builtin

__all__ = [
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy", "accuracy", "binary_accuracy",
    "categorical_accuracy", "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]


def _float_pred(y_pred):
    y_pred = jnp.asarray(y_pred)
    return y_pred if jnp.issubdtype(y_pred.dtype, jnp.floating) else y_pred.astype(floatx())


@register_builtin("keras.metrics")
def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred` exactly, else 0.0.

    Example:
        >>> accuracy(jnp.array([1, 2]), jnp.array([1, 3])).tolist()
        [1.0, 0.0]
    """
    y_pred = _float_pred(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == y_pred).astype(floatx())


@register_builtin("keras.metrics")
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` agrees with the 0/1 label.

    Example:
        >>> binary_accuracy(jnp.array([[1.0], [0.0]]), jnp.array([[0.7], [0.6]])).tolist()
        [[1.0], [0.0]]
    """
    y_pred = _float_pred(y_pred)
    y_true = jnp.asarray(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == (y_pred > threshold).astype(y_true.dtype)).astype(floatx())


@register_builtin("keras.metrics")
def categorical_accuracy(y_true, y_pred):
    """1.0 where the argmax of the one-hot target equals the argmax of the prediction.

    Example:
        >>> y_true = jnp.array([[0.0, 1.0], [1.0, 0.0]])
        >>> categorical_accuracy(y_true, jnp.array([[0.2, 0.8], [0.3, 0.7]])).tolist()
        [1.0, 0.0]
    """
    y_pred = _float_pred(y_pred)
    labels = jnp.argmax(jnp.asarray(y_true), axis=-1)
    matches = (labels == jnp.argmax(y_pred, axis=-1)).astype(floatx())
    return matches


@register_builtin("keras.metrics")
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals the argmax of the prediction.

    Example:
        >>> y_pred = jnp.array([[0.2, 0.8], [0.3, 0.7]])
        >>> sparse_categorical_accuracy(jnp.array([1, 0]), y_pred).tolist()
        [1.0, 0.0]
    """
    y_pred = _float_pred(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = jnp.squeeze(y_true, -1)
    matches = (y_true == jnp.argmax(y_pred, axis=-1).astype(y_true.dtype)).astype(floatx())
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def _in_top_k(labels, y_pred, k):
    at_label = jnp.take_along_axis(y_pred, labels[..., None], axis=-1)
    at_label = jnp.where(jnp.isnan(at_label), -jnp.inf, at_label)
    return 1 + jnp.sum(y_pred > at_label, axis=-1) <= k


@register_builtin("keras.metrics")
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the target class (one-hot) is among the `k` highest predictions.

    Example:
        >>> y_pred = jnp.array([[0.1, 0.6, 0.3], [0.5, 0.3, 0.2]])
        >>> top_k_categorical_accuracy(jnp.array([[0, 0, 1], [0, 0, 1]]), y_pred, k=2).tolist()
        [1.0, 0.0]
    """
    y_pred = _float_pred(y_pred)
    labels = jnp.argmax(jnp.asarray(y_true), axis=-1).astype("int32")
    return _in_top_k(labels, y_pred, k).astype(floatx())


@register_builtin("keras.metrics")
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest predictions.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score.

    Example:
        >>> y_pred = jnp.array([[0.1, 0.6, 0.3], [0.5, 0.3, 0.2]])
        >>> sparse_top_k_categorical_accuracy(jnp.array([2, 2]), y_pred, k=2).tolist()
        [1.0, 0.0]
    """
    y_pred = _float_pred(y_pred) if not from_sorted_ids else jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = jnp.squeeze(y_true, -1)
    if from_sorted_ids:
        found = jnp.any(y_true[..., None].astype(y_pred.dtype) == y_pred[..., :k], axis=-1)
    else:
        found = _in_top_k(y_true.astype("int32"), y_pred, k)
    return found.astype(floatx())


@register_builtin("keras.metrics")
class Accuracy(BuiltinMeanMetric):
    """How often predictions equal labels exactly.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    _direction = "up"

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class BinaryAccuracy(BuiltinMeanMetric):
    """How often `y_pred > threshold` matches the binary label.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    _direction = "up"
    _config_keys = ("threshold",)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


@register_builtin("keras.metrics")
class CategoricalAccuracy(BuiltinMeanMetric):
    """How often the predicted class matches the one-hot label.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    _direction = "up"

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class SparseCategoricalAccuracy(BuiltinMeanMetric):
    """How often the predicted class matches the integer label.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    _direction = "up"

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


@register_builtin("keras.metrics")
class TopKCategoricalAccuracy(BuiltinMeanMetric):
    """How often the one-hot target is in the top `k` predictions.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    _direction = "up"
    _config_keys = ("k",)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


@register_builtin("keras.metrics")
class SparseTopKCategoricalAccuracy(BuiltinMeanMetric):
    """How often the integer label is in the top `k` predictions.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    _direction = "up"
    _config_keys = ("k",)

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)

    def get_config(self):
        config = super().get_config()
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
