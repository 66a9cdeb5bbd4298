"""`Embedding`: turns integer indices into dense vectors looked up in a trainable table."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import constraints, initializers, regularizers
from kernelkit.errors import refuse_unsupported
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize

__all__ = ["Embedding"]


@register_builtin("keras.layers")
class Embedding(Layer):
    """Maps non-negative integer indices to dense vectors: `embeddings[inputs]`.

    Args:
        input_dim: Size of the vocabulary (largest index + 1).
        output_dim: Size of each embedding vector.
        embeddings_initializer: Initializer of the table (default `"uniform"`).
        embeddings_regularizer, activity_regularizer: Optional regularizers.
        embeddings_constraint: Optional constraint on the table.
        mask_zero: Whether index 0 is padding: the layer then outputs a mask (`inputs != 0`)
            for later layers, so index 0 cannot be used in the vocabulary.
        weights: Optional initial table, `(input_dim, output_dim)` (or a one-element list).
        lora_rank, lora_alpha, quantization_config: Accepted for Keras configs; only `None`
            is supported.

    Input shape:
        `(batch, ...)` integer indices (floats are truncated to int32).

    Output shape:
        `(batch, ..., output_dim)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Embedding(10, 4)(jnp.array([[1, 2, 3]])).shape
        (1, 3, 4)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Embedding '{self.name}': `{arg}` must be a positive integer. "
                    f"Received: {arg}={value!r}."
                )
        refuse_unsupported(f"Embedding '{self.name}'", lora_rank=lora_rank,
                           lora_alpha=lora_alpha, quantization_config=quantization_config)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        if weights is not None:
            self._maybe_build(None)
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1
                             else [weights])

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer,
            name="embeddings", regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)

    def call(self, inputs):
        if inputs.dtype not in (jnp.int32, jnp.int64):
            inputs = inputs.astype(jnp.int32)
        return jnp.take(self.embeddings[...], inputs, axis=0).astype(self.compute_dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return jnp.not_equal(inputs, 0)

    def get_config(self):
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": serialize(self.embeddings_initializer),
            "embeddings_regularizer": serialize(self.embeddings_regularizer),
            "activity_regularizer": serialize(self.activity_regularizer),
            "embeddings_constraint": serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
