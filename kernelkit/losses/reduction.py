"""Loss reduction and sample weighting, with Keras 3's exact semantics."""

from __future__ import annotations

import jax.numpy as jnp

__all__ = [
    "REDUCTIONS",
    "apply_mask",
    "reduce_values",
    "reduce_weighted_values",
    "squeeze_or_expand_to_same_rank",
    "standardize_reduction",
]

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Checks `reduction` against the values Keras accepts and returns it.

    Example:
        >>> standardize_reduction("sum")
        'sum'
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Loss: unknown reduction. Expected one of {list(REDUCTIONS)}. "
            f"Received: reduction={reduction!r}. Use 'sum_over_batch_size' (the default) "
            "to average over all elements."
        )
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes two arrays whose ranks differ by one the same rank, as Keras does.

    A trailing axis of size 1 on the higher-rank array is squeezed, except when the other
    array is 1-D and `expand_rank_1` is set: then the 1-D array gains a trailing axis.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank(jnp.zeros((3, 1)), jnp.zeros((3,)))
        >>> a.shape, b.shape
        ((3, 1), (3, 1))
    """
    r1, r2 = jnp.ndim(x1), jnp.ndim(x2)
    if r1 == r2 + 1 and jnp.shape(x1)[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    elif r2 == r1 + 1 and jnp.shape(x2)[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


def _divide_no_nan(x, y):
    safe = jnp.where(y == 0, jnp.ones_like(y), y)
    return jnp.where(y == 0, jnp.zeros_like(x), x / safe)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) per-element values to a scalar.

    `"sum_over_batch_size"` and `"mean"` divide the sum by the number of elements (not by
    the sum of the weights); `"mean_with_sample_weight"` divides by the sum of the weights.

    Example:
        >>> float(reduce_values(jnp.array([1.0, 3.0]), reduction="sum"))
        4.0
    """
    if reduction in (None, "none") or jnp.ndim(values) == 0 or jnp.shape(values) == (0,):
        return values
    loss = jnp.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = jnp.sum(sample_weight).astype(loss.dtype)
    else:
        divisor = jnp.asarray(jnp.size(values), loss.dtype)
    return _divide_no_nan(loss, divisor)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean validity mask into the sample weights.

    For `"sum_over_batch_size"` and `"mean"` the valid entries are scaled by
    `total / valid`, so the final division counts valid entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        total = jnp.asarray(jnp.size(mask), dtype)
        valid = jnp.sum(mask.astype(dtype))
        float_mask = jnp.where(mask.astype(bool), _divide_no_nan(total, valid), 0).astype(dtype)
    else:
        float_mask = mask.astype(dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = jnp.asarray(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights per-sample values (1-D or temporal weights) and reduces them.

    Example:
        >>> float(reduce_weighted_values(jnp.array([1.0, 3.0]), jnp.array([1.0, 0.0])))
        0.5
    """
    reduction = standardize_reduction(reduction)
    values = jnp.asarray(values, dtype)
    if sample_weight is not None:
        sample_weight = jnp.asarray(sample_weight, values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = sample_weight.astype(values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
