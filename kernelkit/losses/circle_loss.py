"""Circle loss (Sun et al., 2020) for metric learning on L2-normalized embeddings."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.losses.loss import BuiltinLoss
from kernelkit.registry import register_builtin

__all__ = ["Circle", "circle", "pair_masks"]

_REDUCE = "sum_over_batch_size"


def pair_masks(query_labels, key_labels, remove_diagonal=True):
    """Returns the `(positive, negative)` boolean masks of label pairs (same / different label).

    Args:
        query_labels: integer labels, shape `(n,)` or `(n, 1)`.
        key_labels: integer labels, shape `(m,)` or `(m, 1)`.
        remove_diagonal: whether pair `(i, i)` is left out of the positives.

    Returns:
        Two boolean arrays of shape `(n, m)`.

    Example:
        >>> positive, negative = pair_masks(jnp.array([0, 0, 1]), jnp.array([0, 0, 1]))
        >>> positive.astype(int).tolist()
        [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    query = jnp.reshape(query_labels, (-1, 1))
    key = jnp.reshape(key_labels, (-1, 1))
    positive = query == key.T
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~jnp.eye(query.shape[0], key.shape[0], dtype=bool)
    return positive, negative


@register_builtin("keras.losses")
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss of each embedding against the reference embeddings.

    Pairs with the same label are pulled together and pairs with different labels pushed
    apart, each weighted by how far it is from its optimum.

    Args:
        y_true: integer labels, shape `(batch,)`.
        y_pred: L2-normalized embeddings, shape `(batch, dim)`.
        ref_labels: labels of the reference embeddings; defaults to `y_true`.
        ref_embeddings: L2-normalized reference embeddings; defaults to `y_pred`.
        remove_diagonal: whether an embedding's pair with itself is left out.
        gamma: scale of the similarity scores.
        margin: relaxation margin of the decision boundary.

    Returns:
        The per-sample losses, shape `(batch,)`.

    Example:
        >>> emb = jnp.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
        >>> [round(v, 3) for v in circle(jnp.array([0, 0, 1]), emb).tolist()]
        [0.0, 0.0, 0.0]
    """
    y_pred = jnp.asarray(y_pred)
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype("float32")
    y_true = jnp.asarray(y_true).astype("int32")
    ref_embeddings = y_pred if ref_embeddings is None else jnp.asarray(ref_embeddings)
    ref_labels = y_true if ref_labels is None else jnp.asarray(ref_labels).astype("int32")
    distances = jnp.maximum(1 - y_pred @ ref_embeddings.T, 0.0)  # (batch, refs)
    positive, negative = pair_masks(y_true, ref_labels, remove_diagonal=remove_diagonal)
    pos_weights = jnp.maximum((margin + distances) * positive.astype(distances.dtype), 0.0)
    neg_weights = jnp.maximum((1 + margin - distances) * negative.astype(distances.dtype), 0.0)
    pos_logits = -gamma * pos_weights * (margin - distances)
    neg_logits = gamma * neg_weights * ((1 - margin) - distances)
    pos_loss = jax.nn.logsumexp(jnp.where(positive, pos_logits, -jnp.inf), axis=1)
    neg_loss = jax.nn.logsumexp(jnp.where(negative, neg_logits, -jnp.inf), axis=1)
    return jax.nn.softplus(pos_loss + neg_loss)


@register_builtin("keras.losses")
class Circle(BuiltinLoss):
    """Circle loss between integer labels and L2-normalized embeddings.

    Only the samples with a positive loss count in the mean, as in Keras.

    Args:
        gamma: scale of the similarity scores.
        margin: relaxation margin of the decision boundary.
        remove_diagonal: whether an embedding's pair with itself is left out.
        reduction: see `Loss`.
        name: name of the loss instance.
        dtype: dtype of the computation.

    Example:
        >>> emb = jnp.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
        >>> float(Circle()(jnp.array([0, 0, 1]), emb)) > 0
        True
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction=_REDUCE,
                 name="circle", dtype=None):
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)

    def call_with_mask(self, y_true, y_pred):
        values = self.call(y_true, y_pred)
        return values, values > 0
