"""`MultiHeadAttention`: scaled dot-product attention over several learned projections."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.layers.activations.softmax import masked_softmax
from kernelkit.layers.attention.attention_equations import (
    attention_equations,
    projection_equation,
)
from kernelkit.layers.attention.attention_masks import (
    causal_mask,
    merge_attention_masks,
    sliding_window_mask,
)
from kernelkit.layers.attention.einsum_projection import EinsumProjection
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.layers.symbolic import is_symbolic
from kernelkit.registry import register_builtin, serialize

__all__ = ["MultiHeadAttention"]


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@register_builtin("keras.layers")
class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017), with Keras 3's arguments and weights.

    `query`, `key` and `value` are projected to `num_heads` heads (sublayers `query`, `key`,
    `value`), each query attends to the keys with scaled dot products, the values are
    averaged with those weights, and the heads are projected back (`attention_output`).

    Args:
        num_heads: Number of attention heads.
        key_dim: Size of each head for query and key.
        value_dim: Size of each head for value (default `key_dim`).
        dropout: Dropout rate on the attention probabilities.
        use_bias: Whether the projections have biases.
        output_shape: Last dimension(s) of the output (default: the query's last dimension).
        attention_axes: Axes of the (projected) inputs that attention runs over (default:
            all axes but batch, heads and features).
        sliding_window: Optional window: query `i` only sees keys with `|i - j| < window`.
        flash_attention: Accepted for compatibility; the XLA kernel is used.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
        activity_regularizer, kernel_constraint, bias_constraint: As in `Dense`.
        use_gate: Whether to gate the heads with a sigmoid projection of the query (`gate`).
        seed: Seed of the dropout.

    Call arguments:
        query: `(B, T, dim)`. value: `(B, S, dim)`. key: `(B, S, dim)`, default `value`.
        query_mask, value_mask, key_mask: Optional boolean `(B, T)` / `(B, S)` masks.
        attention_mask: Optional boolean `(B, T, S)` mask; `False` blocks attention.
        return_attention_scores: Whether to also return the `(B, heads, T, S)` scores.
        training: Whether dropout is active.
        use_causal_mask: Whether query `i` may only attend to keys `j <= i`.

    Input shape:
        `query` `(B, T, ..., dim_q)`, `value` and `key` `(B, S, ..., dim_v / dim_k)`.

    Output shape:
        `(B, T, ..., dim_q)`, or `(B, T, ..., *output_shape)`.

    Example:
        >>> import jax.numpy as jnp
        >>> mha = MultiHeadAttention(num_heads=2, key_dim=4)
        >>> mha(jnp.ones((1, 3, 8)), jnp.ones((1, 5, 6))).shape
        (1, 3, 8)
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        super().__init__(**kwargs)
        who = f"MultiHeadAttention '{self.name}'"
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if not _positive_int(value):
                raise ValueError(f"{who}: invalid `{arg}`. Expected a positive integer. "
                                 f"Received: {arg}={value!r}.")
        if value_dim is not None and not _positive_int(value_dim):
            raise ValueError(f"{who}: invalid `value_dim`. Expected a positive integer or "
                             f"None. Received: value_dim={value_dim!r}.")
        if output_shape:
            output_shape = (output_shape,) if isinstance(output_shape, int) else output_shape
            if not isinstance(output_shape, list | tuple) or not all(
                    _positive_int(d) for d in output_shape):
                raise ValueError(f"{who}: invalid `output_shape`. Expected an int or a tuple "
                                 f"of positive ints. Received: output_shape={output_shape!r}.")
            output_shape = tuple(output_shape)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, list | tuple):
            raise ValueError(f"{who}: invalid `attention_axes`. Expected an int, list or "
                             f"tuple. Received: attention_axes={attention_axes!r}.")
        if sliding_window is not None and not _positive_int(sliding_window):
            raise ValueError(f"{who}: invalid `sliding_window`. Expected None or a positive "
                             f"integer. Received: sliding_window={sliding_window!r}.")
        if flash_attention and dropout > 0.0:
            raise ValueError(f"{who}: dropout is not supported with flash attention. "
                             f"Expected dropout=0.0. Received: dropout={dropout}. Set "
                             "dropout=0.0 or flash_attention=None.")
        self.num_heads, self.key_dim = num_heads, key_dim
        self.value_dim = value_dim or key_dim
        self.dropout, self.use_bias, self.use_gate = dropout, use_bias, use_gate
        self._output_shape = output_shape or None
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.sliding_window, self.flash_attention, self.seed = sliding_window, flash_attention, seed
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        # as in Keras, the activity regularizer applies to each projection, not to the output
        self.projection_activity_regularizer = regularizers.get(activity_regularizer)
        self.supports_masking = True
        # sublayers in Keras's creation order, so that `weights` lists them in its order
        self._query_dense = self._key_dense = self._gate_dense = None
        self._value_dense = self._output_dense = None
        self.seed_stream = seed_stream(seed) if dropout > 0 else None

    # ---- building -----------------------------------------------------------------------------

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(
                f"MultiHeadAttention '{self.name}' must be called with both `query` and "
                "`value`. Expected layer(query, value[, key]). Received: value=None."
            )
        if not is_symbolic(query):
            value = self._convert_inputs(value)
            key = self._convert_inputs(key)
        if not self.built:
            shapes = [None if t is None else tuple(t.shape) for t in (query, value, key)]
            self.build(*shapes)
            self.built = True
            self._build_shapes = shapes
        if key is not None:
            kwargs["key"] = key
        return super().__call__(query, value, **kwargs)

    def _projection(self, name, free_dims, bound_dims, kernel_shape, output_dims,
                    activation=None):
        equation, _ = projection_equation(free_dims, bound_dims, output_dims)
        return EinsumProjection(
            equation, kernel_shape, kernel_shape[-output_dims:] if self.use_bias else None,
            activation=activation, kernel_initializer=self.kernel_initializer,
            bias_initializer=self.bias_initializer, kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer, kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            activity_regularizer=self.projection_activity_regularizer, dtype=self.dtype_policy,
            name=name)

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = tuple(query_shape if value_shape is None else value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"MultiHeadAttention '{self.name}': `value` and `key` must have equal shapes "
                f"except on the last axis. Received: value_shape={value_shape}, "
                f"key_shape={key_shape}."
            )
        q_rank, heads = len(query_shape), self.num_heads
        self._query_dense = self._projection(
            "query", q_rank - 1, 1, (query_shape[-1], heads, self.key_dim), 2)
        self._key_dense = self._projection(
            "key", len(key_shape) - 1, 1, (key_shape[-1], heads, self.key_dim), 2)
        if self.use_gate:
            self._gate_dense = self._projection(
                "gate", q_rank - 1, 1, (query_shape[-1], heads, self.value_dim), 2,
                activation=activations.get("sigmoid"))
        self._value_dense = self._projection(
            "value", len(value_shape) - 1, 1, (value_shape[-1], heads, self.value_dim), 2)
        out_shape = self._output_shape or (query_shape[-1],)
        self._output_dense = self._projection(
            "attention_output", q_rank - 1, 2, (heads, self.value_dim, *out_shape),
            len(out_shape))
        for sub in (self._query_dense, self._key_dense, self._gate_dense, self._value_dense,
                    self._output_dense):
            if sub is not None:
                sub._maybe_build(None)
        rank = q_rank + 1  # projected: (B, T, ..., heads, channels)
        axes = self.attention_axes
        axes = tuple(range(1, rank - 2)) if axes is None else tuple(
            a if a >= 0 else (rank - 1) + a for a in axes)
        self._attention_axes = axes
        self._dot_equation, self._combine_equation, scores_rank = attention_equations(
            rank, axes)
        self._norm_axes = tuple(range(scores_rank - len(axes), scores_rank))

    @property
    def query_dense(self):
        return self._query_dense

    @property
    def key_dense(self):
        return self._key_dense

    @property
    def value_dense(self):
        return self._value_dense

    @property
    def output_dense(self):
        return self._output_dense

    # ---- computing ----------------------------------------------------------------------------

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
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        output, scores = self._compute_attention(q, k, v, attention_mask, training,
                                                 return_attention_scores, causal_only)
        output = self._output_dense(output if gate is None else output * gate)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask, training,
                           return_scores, causal_only):
        scale = 1.0 / math.sqrt(float(self.key_dim))
        fused = not (self.dropout > 0.0 or return_scores or query.ndim != 4
                     or self.value_dim != self.key_dim)  # the kernel needs equal head sizes
        if fused:
            # Keras's fast path: the fused kernel (fully masked rows average the values)
            mask = None
            if attention_mask is not None:
                mask = attention_mask.astype(bool)
                while mask.ndim < 4:
                    mask = jnp.expand_dims(mask, -len(self._attention_axes) * 2 - 1)
            out = jax.nn.dot_product_attention(query, key, value, mask=mask, scale=scale,
                                               is_causal=causal_only)
            return out, None
        if causal_only:
            attention_mask = causal_mask(query.shape[1], value.shape[1])
        query = query * jnp.asarray(scale, query.dtype)
        scores = jnp.einsum(self._dot_equation, key, query)
        if attention_mask is not None:
            while attention_mask.ndim < scores.ndim:
                attention_mask = jnp.expand_dims(attention_mask,
                                                 -len(self._attention_axes) * 2 - 1)
        scores = masked_softmax(scores, attention_mask, self._norm_axes)
        probs = scores
        if self.dropout > 0.0 and training:
            keep = jax.random.bernoulli(self.seed_stream(), 1.0 - self.dropout, scores.shape)
            probs = jnp.where(keep, scores / (1.0 - self.dropout), 0).astype(scores.dtype)
        return jnp.einsum(self._combine_equation, probs, value), scores

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, list | tuple):
            return mask[0] if mask else None
        return mask

    # ---- config -------------------------------------------------------------------------------

    def get_build_config(self):
        if self._build_shapes is None:
            return None
        names = ("query_shape", "value_shape", "key_shape")
        return {"shapes_dict": {n: None if s is None else list(s)
                                for n, s in zip(names, self._build_shapes)}}

    def build_from_config(self, config):
        if not config or self.built:
            return
        shapes = config.get("shapes_dict") or {"query_shape": config.get("input_shape")}
        shapes = [None if shapes.get(n) is None else tuple(shapes[n])
                  for n in ("query_shape", "value_shape", "key_shape")]
        self.build(*shapes)
        self.built = True
        self._build_shapes = shapes

    def get_config(self):
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self.attention_axes,
            "sliding_window": self.sliding_window,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "activity_regularizer": serialize(self.projection_activity_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "seed": self.seed,
        }
