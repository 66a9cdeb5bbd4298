"""Boolean attention masks: causal, sliding-window, and the merge of Keras's input masks."""

from __future__ import annotations

import jax.numpy as jnp

__all__ = ["causal_mask", "merge_attention_masks", "sliding_window_mask"]


def causal_mask(query_length: int, value_length: int):
    """`(1, T, S)` lower-triangular mask: query `i` sees keys `j <= i`.

    Example:
        >>> causal_mask(2, 2).astype(int).tolist()
        [[[1, 0], [1, 1]]]
    """
    rows = jnp.arange(query_length)[:, None]
    cols = jnp.arange(value_length)[None, :]
    return (rows >= cols)[None]


def sliding_window_mask(query_length: int, value_length: int, window: int):
    """`(1, T, S)` band mask: query `i` sees keys with `|i - j| < window`.

    Example:
        >>> sliding_window_mask(3, 3, 2).astype(int).tolist()[0][0]
        [1, 1, 0]
    """
    rows = jnp.arange(query_length)[:, None]
    cols = jnp.arange(value_length)[None, :]
    return (jnp.abs(rows - cols) < window)[None]


def merge_attention_masks(query_mask=None, value_mask=None, key_mask=None,
                          attention_mask=None, extra=()):
    """ANDs the query `(B, T)`, value and key `(B, S)` masks, `extra` `(1, T, S)` masks and
    the explicit `attention_mask` `(B, T, S)` into one boolean mask (`None` if all absent).

    Example:
        >>> import jax.numpy as jnp
        >>> m = merge_attention_masks(value_mask=jnp.array([[True, False]]))
        >>> m.astype(int).tolist()
        [[[1, 0]]]
    """
    auto = None
    if query_mask is not None:
        auto = jnp.expand_dims(jnp.asarray(query_mask).astype(bool), -1)
    for mask in (value_mask, key_mask):
        if mask is not None:
            mask = jnp.expand_dims(jnp.asarray(mask).astype(bool), -2)
            auto = mask if auto is None else auto & mask
    for mask in extra:
        auto = mask if auto is None else auto & mask
    if attention_mask is not None:
        attention_mask = jnp.asarray(attention_mask).astype(bool)
    if auto is not None:
        attention_mask = auto if attention_mask is None else attention_mask & auto
    return attention_mask
