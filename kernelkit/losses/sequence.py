"""Connectionist Temporal Classification loss, computed by `optax.ctc_loss`."""

from __future__ import annotations

import jax.numpy as jnp
import optax

from kernelkit.errors import describe
from kernelkit.losses.loss import BuiltinLoss
from kernelkit.registry import register_builtin

__all__ = ["CTC", "ctc"]


@register_builtin("keras.losses")
def ctc(y_true, y_pred):
    """CTC loss per sequence; label 0 is the blank and pads `y_true` at the end.

    Args:
        y_true: integer labels, `(batch_size, max_label_length)`, padded with 0.
        y_pred: logits, `(batch_size, max_time, num_classes)` (not softmaxed).

    Returns:
        The negative log-likelihood of each label sequence, `(batch_size,)`.

    Example:
        >>> ctc(jnp.array([[1, 0]]), jnp.zeros((1, 3, 2))).shape
        (1,)
    """
    y_pred = jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true)
    if y_true.ndim != 2:
        raise ValueError(
            "ctc: targets have the wrong rank. Expected y_true of shape (batch_size, "
            f"max_length) in integer format. Received: y_true={describe(y_true)}. Pad the "
            "label sequences with 0 into a 2-D array."
        )
    if y_pred.ndim != 3:
        raise ValueError(
            "ctc: logits have the wrong rank. Expected y_pred of shape (batch_size, "
            f"max_length, num_classes). Received: y_pred={describe(y_pred)}. Pass the "
            "unnormalized per-step class scores."
        )
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype("float32")
    labels = y_true.astype("int32")
    label_length = jnp.sum(labels != 0, axis=-1)
    label_paddings = (jnp.arange(labels.shape[1])[None, :] >= label_length[:, None])
    logit_paddings = jnp.zeros(y_pred.shape[:2], y_pred.dtype)
    return optax.ctc_loss(y_pred, logit_paddings, labels, label_paddings.astype(y_pred.dtype),
                          blank_id=0)


@register_builtin("keras.losses")
class CTC(BuiltinLoss):
    """CTC loss (see `ctc`).

    Example:
        >>> loss = CTC()(jnp.array([[1]]), jnp.zeros((1, 2, 3)))
        >>> round(float(loss), 4)
        1.0986
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)
