"""`AdditiveAttention`: Bahdanau-style attention, scores `sum(scale * tanh(query + key))`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.attention.attention import Attention
from kernelkit.registry import register_builtin

__all__ = ["AdditiveAttention"]


@register_builtin("keras.layers")
class AdditiveAttention(Attention):
    """Additive attention: `softmax(sum(scale * tanh(query[:, :, None] + key[:, None]))) @ value`.

    Args:
        use_scale: Whether to learn a `scale` vector of size `dim` multiplying the `tanh`
            terms (otherwise they are summed unweighted).
        dropout: Dropout rate on the attention probabilities.
        **kwargs: `seed` of the dropout and the base layer arguments.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`: `(B, Tq, dim)`, `(B, Tv, dim)`
            and `(B, Tv, dim)` (key defaults to value).
        mask: Optional `[query_mask, value_mask]`: boolean `(B, Tq)` and `(B, Tv)`.
        training: Whether dropout is active.
        return_attention_scores: Whether to also return the `(B, Tq, Tv)` probabilities.
        use_causal_mask: Whether query `i` may only attend to values `j <= i`.

    Input shape:
        A list of 2 or 3 tensors as above.

    Output shape:
        `(B, Tq, dim)`.

    Example:
        >>> import jax.numpy as jnp
        >>> AdditiveAttention()([jnp.ones((1, 2, 4)), jnp.ones((1, 3, 4))]).shape
        (1, 2, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        if not input_shape or not isinstance(input_shape[0], list | tuple):
            raise ValueError(
                f"AdditiveAttention '{self.name}' must be called on a list [query, value] or "
                f"[query, value, key]. Expected 2 or 3 inputs. Received: a single input of "
                f"shape {tuple(input_shape)}."
            )
        self._validate(input_shape)
        dim = input_shape[0][-1]
        self.scale = self.add_weight(name="scale", shape=(dim,),
                                     initializer="glorot_uniform") if self.use_scale else None
        self.concat_score_weight = None

    def _scores(self, query, key):
        terms = jnp.tanh(jnp.expand_dims(query, -2) + jnp.expand_dims(key, -3))
        if self.scale is not None:
            terms = self.scale[...].astype(terms.dtype) * terms
        return jnp.sum(terms, axis=-1)  # (B, Tq, Tv)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]  # Keras writes no score_mode for additive attention
        return config
