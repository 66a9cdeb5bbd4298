"""Intersection-over-union metrics from an accumulated confusion matrix (`IoU`, `MeanIoU`, ...)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import epsilon
from kernelkit.metrics.metric import Metric
from kernelkit.registry import register_builtin

__all__ = ["BinaryIoU", "IoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU"]


@register_builtin("keras.metrics")
class IoU(Metric):
    """Mean IoU over `target_class_ids`, from a `(num_classes, num_classes)` confusion matrix.

    Labels or predictions outside `[0, num_classes)`, and labels equal to `ignore_class`,
    are left out.

    Args:
        num_classes: number of classes.
        target_class_ids: classes whose IoUs are averaged.
        name: name of the metric instance.
        dtype: dtype of the result; the confusion matrix is always float32, so fractional
            sample weights count.
        ignore_class: a label to leave out (e.g. a void class).
        sparse_y_true: labels are integers (else one-hot: argmax over `axis`).
        sparse_y_pred: predictions are integers (else scores: argmax over `axis`).
        axis: the class axis for the argmax.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    _direction = "up"

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype)
        target_class_ids = list(target_class_ids)
        if not target_class_ids or max(target_class_ids) >= num_classes:
            raise ValueError(
                f"{type(self).__name__}: a target class id is out of range. Expected ids in "
                f"[0, {num_classes}). Received: target_class_ids={target_class_ids!r}. "
                "Fix the ids or num_classes."
            )
        self.num_classes = int(num_classes)
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis

    def state_shapes(self):
        return {"total_confusion_matrix": ((self.num_classes, self.num_classes), "float32")}

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_true, y_pred = jnp.asarray(y_true), jnp.asarray(y_pred)
        if not self.sparse_y_true:
            y_true = jnp.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = jnp.argmax(y_pred, axis=self.axis)
        y_true = y_true.astype("int32").reshape(-1)
        y_pred = y_pred.astype("int32").reshape(-1)
        weight = jnp.ones(y_true.shape, "float32") if sample_weight is None else (
            jnp.broadcast_to(jnp.asarray(sample_weight, "float32").reshape(-1), y_true.shape))
        valid = (y_true >= 0) & (y_true < self.num_classes)
        valid = valid & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        weight = jnp.where(valid, weight, 0.0)
        matrix = jnp.zeros((self.num_classes, self.num_classes), "float32")
        matrix = matrix.at[jnp.where(valid, y_true, 0), jnp.where(valid, y_pred, 0)].add(weight)
        return {"total_confusion_matrix": state["total_confusion_matrix"] + matrix}

    def compute(self, state):
        cm = state["total_confusion_matrix"]
        true_positives = jnp.diag(cm)
        denominator = jnp.sum(cm, axis=0) + jnp.sum(cm, axis=1) - true_positives
        ids = jnp.asarray(self.target_class_ids)
        true_positives, denominator = true_positives[ids], denominator[ids]
        valid = denominator > 1e-9
        iou = jnp.where(valid, true_positives / (denominator + epsilon()), 0.0)
        return (jnp.sum(iou) / (jnp.sum(valid) + epsilon())).astype(self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@register_builtin("keras.metrics")
class MeanIoU(IoU):
    """Mean IoU over all `num_classes` classes.

    Example:
        >>> m = MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


@register_builtin("keras.metrics")
class BinaryIoU(IoU):
    """IoU of binary predictions: scores `>= threshold` count as class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 are averaged.
        threshold: the score at and above which a prediction is class 1.
        name: name of the metric instance.
        dtype: dtype of the result.

    Example:
        >>> m = BinaryIoU(target_class_ids=[1], threshold=0.5)
        >>> m.update_state([0, 1, 1, 1], [0.9, 0.2, 0.7, 0.6])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update(self, state, y_true, y_pred, sample_weight=None):
        y_pred = (jnp.asarray(y_pred, "float32") >= self.threshold).astype("int32")
        return super().update(state, jnp.asarray(y_true, "float32"), y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


@register_builtin("keras.metrics")
class OneHotIoU(IoU):
    """IoU over `target_class_ids` for one-hot labels (argmax over `axis`).

    Args:
        num_classes: number of classes.
        target_class_ids: classes whose IoUs are averaged.
        name: name of the metric instance.
        dtype: dtype of the result.
        ignore_class: a label to leave out (e.g. a void class).
        sparse_y_pred: predictions are integers (else scores: argmax over `axis`).
        axis: the class axis for the argmax.

    Example:
        >>> m = OneHotIoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([[1, 0], [1, 0], [0, 1]], [[0.8, 0.2], [0.3, 0.7], [0.1, 0.9]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


@register_builtin("keras.metrics")
class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes for one-hot labels (argmax over `axis`).

    Args:
        num_classes: number of classes.
        name: name of the metric instance.
        dtype: dtype of the result.
        ignore_class: a label to leave out (e.g. a void class).
        sparse_y_pred: predictions are integers (else scores: argmax over `axis`).
        axis: the class axis for the argmax.

    Example:
        >>> m = OneHotMeanIoU(num_classes=2)
        >>> m.update_state([[1, 0], [1, 0], [0, 1]], [[0.8, 0.2], [0.3, 0.7], [0.1, 0.9]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
