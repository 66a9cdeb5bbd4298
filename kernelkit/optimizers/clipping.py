"""Keras's gradient clipping (`clipnorm`, `global_clipnorm`, `clipvalue`) on gradient trees."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax

__all__ = ["clip_gradients"]


def _clip_by_norm(g, clipnorm):
    # Keras's per-tensor rule: g * clipnorm / max(||g||, clipnorm), NaN-safe at ||g|| = 0.
    l2sum = jnp.sum(jnp.square(g), keepdims=True)
    positive = l2sum > 0
    l2norm = jnp.where(positive, jnp.sqrt(jnp.where(positive, l2sum, 1.0)), l2sum)
    return g * clipnorm / jnp.maximum(l2norm, clipnorm)


def clip_gradients(grads, clipnorm=None, global_clipnorm=None, clipvalue=None):
    """Clips a gradient tree the way a Keras optimizer does, before weight decay.

    At most one of the three is used, in Keras's order of precedence: `clipnorm` (each
    tensor's L2 norm), then `global_clipnorm` (the norm of all tensors together), then
    `clipvalue` (each element). A value of `None` or `0` means no clipping.

    Example:
        >>> clip_gradients([jnp.array([3.0, 4.0])], clipnorm=1.0)[0].tolist()
        [0.6000000238418579, 0.800000011920929]
    """
    if clipnorm and clipnorm > 0:
        return jax.tree.map(lambda g: _clip_by_norm(g, clipnorm), grads)
    if global_clipnorm and global_clipnorm > 0:
        clipped, _ = optax.clip_by_global_norm(global_clipnorm).update(grads, optax.EmptyState())
        return clipped
    if clipvalue and clipvalue > 0:
        clipped, _ = optax.clip(clipvalue).update(grads, optax.EmptyState())
        return clipped
    return grads
