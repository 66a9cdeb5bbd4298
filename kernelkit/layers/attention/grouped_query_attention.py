"""`GroupedQueryAttention` (Keras's `GroupQueryAttention`): heads sharing fewer key/value heads."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import activations
from kernelkit.layers.attention.attention_equations import attention_equations
from kernelkit.layers.attention.attention_masks import (
    causal_mask,
    merge_attention_masks,
    sliding_window_mask,
)
from kernelkit.layers.attention.multi_head_attention import MultiHeadAttention
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize

__all__ = ["GroupQueryAttention", "GroupedQueryAttention"]


@register_builtin("keras.layers")
@register_builtin("keras.layers", name="GroupQueryAttention")  # the name Keras writes
class GroupedQueryAttention(MultiHeadAttention):
    """Grouped-query attention (Ainslie et al., 2023): `num_query_heads` query heads share
    `num_key_value_heads` key and value heads (each repeated for its group of queries).

    Weights, in Keras's order and layout: `query` `(dim, num_query_heads, head_dim)`, `key`
    and `value` `(dim, num_key_value_heads, head_dim)`, optional `gate` like `query`, and
    `attention_output` `(num_query_heads, head_dim, dim)`, each with a bias when `use_bias`.

    Args:
        head_dim: Size of each attention head.
        num_query_heads: Number of query heads.
        num_key_value_heads: Number of key and value heads; must divide `num_query_heads`.
        dropout: Dropout rate on the attention probabilities.
        use_bias: Whether the projections have biases.
        sliding_window: Optional window: query `i` sees keys with `|i - j| < sliding_window`.
        flash_attention: Accepted for Keras compatibility (XLA picks the kernel).
        kernel_initializer: Initializer of the projection kernels.
        bias_initializer: Initializer of the projection biases.
        kernel_regularizer: Optional regularizer of the kernels.
        bias_regularizer: Optional regularizer of the biases.
        activity_regularizer: Optional regularizer of each projection's output.
        kernel_constraint: Optional constraint of the kernels.
        bias_constraint: Optional constraint of the biases.
        use_gate: Whether to gate the attention output with `sigmoid(gate(query))`.
        seed: Seed of the dropout.

    Call arguments:
        query: `(batch, target_length, dim)`.
        value: `(batch, source_length, dim)`.
        key: Optional `(batch, source_length, dim)`; defaults to `value`.
        query_mask, value_mask, key_mask: Optional boolean masks of the sequences.
        attention_mask: Optional boolean `(batch, target_length, source_length)`.
        return_attention_scores: Whether to also return the `(batch, num_query_heads,
            target_length, source_length)` probabilities.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend to keys `j <= i`.

    Input shape:
        `query`, `value` (and `key`) as above.

    Output shape:
        `(batch, target_length, dim)`.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
        >>> layer(jnp.ones((1, 3, 8)), jnp.ones((1, 5, 8))).shape
        (1, 3, 8)
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(num_heads=num_query_heads, key_dim=head_dim, dropout=dropout,
                         use_bias=use_bias, sliding_window=sliding_window,
                         flash_attention=flash_attention,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         use_gate=use_gate, seed=seed, **kwargs)
        if not isinstance(num_key_value_heads, int) or num_key_value_heads <= 0 or \
                num_query_heads % num_key_value_heads:
            raise ValueError(
                f"GroupedQueryAttention '{self.name}': `num_query_heads` must be divisible by "
                f"`num_key_value_heads`. Expected a positive divisor of {num_query_heads}. "
                f"Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads!r}."
            )
        self.head_dim = head_dim
        self.num_query_heads, self.num_key_value_heads = num_query_heads, num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = tuple(query_shape if value_shape is None else value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        dim, heads, kv_heads, size = query_shape[-1], self.num_query_heads, \
            self.num_key_value_heads, self.head_dim
        self._query_dense = self._projection("query", 2, 1, (dim, heads, size), 2)
        self._key_dense = self._projection("key", 2, 1, (key_shape[-1], kv_heads, size), 2)
        if self.use_gate:
            self._gate_dense = self._projection("gate", 2, 1, (dim, heads, size), 2,
                                                activation=activations.get("sigmoid"))
        self._value_dense = self._projection("value", 2, 1,
                                             (value_shape[-1], kv_heads, size), 2)
        self._output_dense = self._projection("attention_output", 2, 2, (heads, size, dim), 1)
        for sub in (self._query_dense, self._key_dense, self._gate_dense, self._value_dense,
                    self._output_dense):
            if sub is not None:
                sub._maybe_build(None)
        self._attention_axes = (1,)
        self._dot_equation, self._combine_equation, scores_rank = attention_equations(4, (1,))
        self._norm_axes = (scores_rank - 1,)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        key = value if key is None else key
        causal_only = (use_causal_mask and query_mask is None and value_mask is None
                       and key_mask is None and attention_mask is None
                       and self.sliding_window is None)
        if not causal_only:
            t, s = query.shape[1], value.shape[1]
            extra = [causal_mask(t, s)] if use_causal_mask else []
            if self.sliding_window is not None:
                extra.append(sliding_window_mask(t, s, self.sliding_window))
            attention_mask = merge_attention_masks(query_mask, value_mask, key_mask,
                                                   attention_mask, extra)
        gate = self._gate_dense(query) if self._gate_dense is not None else None
        q = self._query_dense(query)  # (batch, target, query_heads, head_dim)
        k = jnp.repeat(self._key_dense(key), self.num_repeats, axis=2)
        v = jnp.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(q, k, v, attention_mask, training,
                                                 return_attention_scores, causal_only)
        output = self._output_dense(output if gate is None else output * gate)
        return (output, scores) if return_attention_scores else output

    def get_config(self):
        return {
            **Layer.get_config(self),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "activity_regularizer": serialize(self.projection_activity_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "seed": self.seed,
        }


# Keras exports the class under this name.
GroupQueryAttention = GroupedQueryAttention
