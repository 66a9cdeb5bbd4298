"""`ReversibleEmbedding`: an embedding that also projects vectors back to logits over tokens."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.core.embedding import Embedding
from kernelkit.registry import register_builtin

__all__ = ["ReversibleEmbedding"]


@register_builtin("keras.layers")
class ReversibleEmbedding(Embedding):
    """Looks up token vectors, and with `reverse=True` maps vectors to token logits.

    The reverse projection is `inputs @ embeddings.T` when `tie_weights` (the usual tied
    input/output embedding of language models), else `inputs @ reverse_embeddings`, a
    separate `(output_dim, input_dim)` weight created after `embeddings`.

    Args:
        input_dim: Size of the vocabulary.
        output_dim: Size of each embedding vector.
        tie_weights: Whether the reverse projection reuses `embeddings`.
        embeddings_initializer: Initializer of the weights (default `"uniform"`).
        embeddings_regularizer: Optional regularizer of `embeddings`.
        embeddings_constraint: Optional constraint of `embeddings`.
        mask_zero: Whether token 0 is padding to be masked (forward calls only).
        reverse_dtype: Optional dtype of the reverse product (e.g. `"float32"` under mixed
            precision).
        logit_soft_cap: Optional float `c`: reverse logits become `c * tanh(logits / c)`.

    Call arguments:
        inputs: Token ids `(batch, ...)`, or vectors `(batch, ..., output_dim)` when
            `reverse`.
        reverse: Whether to project vectors back to logits.

    Input shape:
        `(batch, ...)` integer ids; `(batch, ..., output_dim)` when `reverse`.

    Output shape:
        `(batch, ..., output_dim)`; `(batch, ..., input_dim)` when `reverse`.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = ReversibleEmbedding(10, 4)
        >>> vectors = layer(jnp.array([[1, 2, 3]]))
        >>> vectors.shape, layer(vectors, reverse=True).shape
        ((1, 3, 4), (1, 3, 10))
    """

    def __init__(self, input_dim, output_dim, tie_weights=True,
                 embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        self.reverse_embeddings = None if self.tie_weights else self.add_weight(
            shape=(self.output_dim, self.input_dim), initializer=self.embeddings_initializer,
            name="reverse_embeddings")

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        if self.tie_weights:
            kernel = jnp.transpose(self.embeddings[...])
        else:
            kernel = self.reverse_embeddings[...]
        if self.reverse_dtype is not None:
            inputs = inputs.astype(self.reverse_dtype)
            kernel = kernel.astype(self.reverse_dtype)
        else:
            kernel = kernel.astype(inputs.dtype)
        logits = jnp.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = jnp.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        if not jnp.issubdtype(inputs.dtype, jnp.integer):
            return None  # a reverse call on vectors makes no mask
        return super().compute_mask(inputs, mask)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype, "logit_soft_cap": self.logit_soft_cap}
