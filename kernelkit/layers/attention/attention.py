"""`Attention`: Luong-style dot-product (or Bahdanau-style concat) attention, no projections."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.attention.attention_masks import causal_mask
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.registry import register_builtin

__all__ = ["Attention"]


@register_builtin("keras.layers")
class Attention(Layer):
    """Dot-product attention: `softmax(scores(query, key)) @ value`.

    Args:
        use_scale: Whether to learn a scalar `scale` multiplying the scores.
        score_mode: `"dot"` (`query @ key^T`) or `"concat"` (`sum(tanh(query + key))`,
            times a learned scalar `concat_score_weight`).
        dropout: Dropout rate on the attention probabilities.
        seed: Seed of the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`: `(B, Tq, dim)`, `(B, Tv, dim)`
            and `(B, Tv, dim)` (key defaults to value).
        mask: Optional `[query_mask, value_mask]`: boolean `(B, Tq)` and `(B, Tv)`. Masked
            values get no attention; masked query positions output zeros.
        training: Whether dropout is active.
        return_attention_scores: Whether to also return the `(B, Tq, Tv)` probabilities.
        use_causal_mask: Whether query `i` may only attend to values `j <= i`.

    Input shape:
        A list of 2 or 3 tensors as above.

    Output shape:
        `(B, Tq, dim)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Attention()([jnp.ones((1, 2, 4)), jnp.ones((1, 3, 4))]).shape
        (1, 2, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"Attention '{self.name}': invalid `score_mode`. Expected one of 'dot', "
                f"'concat'. Received: score_mode={score_mode!r}."
            )
        self.use_scale, self.score_mode = use_scale, score_mode
        self.dropout, self.seed = dropout, seed
        self.seed_stream = seed_stream(seed) if dropout > 0 else None
        self.supports_masking = True

    def _validate(self, inputs, mask=None):
        if not isinstance(inputs, list | tuple) or not 2 <= len(inputs) <= 3:
            got = len(inputs) if isinstance(inputs, list | tuple) else "a single tensor"
            raise ValueError(
                f"Attention '{self.name}' must be called on a list [query, value] or "
                f"[query, value, key]. Expected 2 or 3 inputs. Received: {got} "
                f"(inputs={describe(inputs)})."
            )
        if mask is not None and (not isinstance(mask, list | tuple) or not 2 <= len(mask) <= 3):
            raise ValueError(
                f"Attention '{self.name}': `mask` must be a list [query_mask, value_mask]. "
                f"Expected a list of 2 or 3 masks. Received: mask={describe(mask)}."
            )

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = self.add_weight(name="scale", shape=(), initializer="ones") \
            if self.use_scale else None
        self.concat_score_weight = self.add_weight(
            name="concat_score_weight", shape=(), initializer="ones") \
            if self.score_mode == "concat" else None

    def _scores(self, query, key):
        scale = None if self.scale is None else self.scale[...].astype(query.dtype)
        if self.score_mode == "dot":
            scores = jnp.matmul(query, jnp.swapaxes(key, -2, -1))
            return scores if scale is None else scores * scale
        pairs = jnp.expand_dims(query, -2) + jnp.expand_dims(key, -3)
        if scale is not None:
            pairs = scale * pairs
        weight = self.concat_score_weight[...].astype(query.dtype)
        return weight * jnp.sum(jnp.tanh(pairs), axis=-1)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._scores(query, key)
        scores_mask = v_mask
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            scores_mask = causal if v_mask is None else jnp.logical_and(
                jnp.expand_dims(jnp.asarray(v_mask, bool), -2), causal)
        if scores_mask is not None:
            padding = jnp.logical_not(jnp.asarray(scores_mask, bool))
            if padding.ndim == 2:
                padding = jnp.expand_dims(padding, -2)
            big = 65504.0 if scores.dtype == jnp.float16 else 1.0e9
            scores = jnp.where(padding, scores - big, scores)
        weights = jax.nn.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            keep = jax.random.bernoulli(self.seed_stream(), 1.0 - self.dropout, weights.shape)
            weights = jnp.where(keep, weights / (1.0 - self.dropout), 0).astype(weights.dtype)
        output = jnp.matmul(weights, value)
        if q_mask is not None:
            output = jnp.where(jnp.expand_dims(jnp.asarray(q_mask, bool), -1), output, 0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return jnp.asarray(mask[0])

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
