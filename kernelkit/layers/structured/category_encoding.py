"""`CategoryEncoding`: integer category ids to one-hot, multi-hot or count vectors."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.layers.structured.categorical_encoding import (
    OUTPUT_MODES,
    encode_categorical,
    encoded_shape,
)
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["CategoryEncoding"]


@register_builtin("keras.layers")
class CategoryEncoding(Layer):
    """Encodes integer features in `[0, num_tokens)` as dense one-hot, multi-hot or counts.

    Args:
        num_tokens: Number of categories; inputs must lie in `[0, num_tokens)`.
        output_mode: `"multi_hot"` (default; `"binary"` is an alias), `"one_hot"` or
            `"count"`.
        sparse: Whether to return a sparse `BCOO` array.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: Integer array of rank 0, 1 or 2.
        count_weights: Optional weights shaped like `inputs`, summed in `"count"` mode.

    Input shape:
        `(batch,)` or `(batch, samples)`.

    Output shape:
        `(batch, num_tokens)` (one-hot of `(batch, samples)`: `(batch, samples, num_tokens)`).

    Example:
        >>> import numpy as np
        >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")(np.array([3, 0])).tolist()
        [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"CategoryEncoding '{self.name}': unknown `output_mode`. Expected one of "
                f"{list(OUTPUT_MODES)}. Received: output_mode={output_mode!r}."
            )
        if num_tokens is None:
            raise ValueError(
                f"CategoryEncoding '{self.name}': `num_tokens` must be set. Received: "
                "num_tokens=None. Pass the number of categories, or use IntegerLookup when it "
                "is not known beforehand."
            )
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(
                f"CategoryEncoding '{self.name}': `num_tokens` must be an integer >= 1. "
                f"Received: num_tokens={num_tokens!r}."
            )
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False
        self._convert_input_args = False

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f"CategoryEncoding '{self.name}': `count_weights` is only used when "
                    f"output_mode='count'. Received: output_mode={self.output_mode!r}. Drop "
                    "`count_weights` or use output_mode='count'."
                )
            count_weights = jnp.asarray(count_weights, self.compute_dtype)
        return encode_categorical(inputs, self.output_mode, self.num_tokens, self.dtype,
                                  count_weights=count_weights, sparse=self.sparse)

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return SymbolicTensor(self.compute_output_shape(inputs.shape), self.compute_dtype,
                              sparse=self.sparse)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}
