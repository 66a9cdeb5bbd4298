"""`dot_product_attention`: scaled dot-product attention with bias, mask and causal masking."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["dot_product_attention"]


@keras_op
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention, `softmax(q k^T * scale + bias, masked) v`, per head.

    Grouped-query attention works when `key`/`value` have fewer heads than `query` (a divisor).

    Args:
        query: Tensor of shape `(batch, target_length, num_heads, head_dim)`.
        key: Tensor of shape `(batch, source_length, num_kv_heads, head_dim)`.
        value: Tensor of shape `(batch, source_length, num_kv_heads, value_dim)`.
        bias: Optional tensor added to the logits, broadcastable to
            `(batch, num_heads, target_length, source_length)`.
        mask: Optional boolean tensor (True = attend), broadcastable like `bias`.
        scale: Logit scale; default `1 / sqrt(head_dim)`.
        is_causal: Whether to mask out the future (a lower-triangular mask).
        flash_attention: True asks for the fused cuDNN kernel (GPU only, falling back to XLA
            when the inputs do not fit it); None or False use XLA's attention.
        attn_logits_soft_cap: Must be None: Keras supports it only on TPU.

    Returns:
        A tensor of shape `(batch, target_length, num_heads, value_dim)`.

    Raises:
        ValueError: For inputs that are not 4-D, or an `attn_logits_soft_cap`.
        RuntimeError: For `flash_attention=True` without a GPU (as Keras, which needs cuDNN).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> q = np.ones((1, 3, 2, 4), "float32")
        >>> ops.dot_product_attention(q, q, q, is_causal=True).shape
        (1, 3, 2, 4)
    """
    query, key, value = jnp.asarray(query), jnp.asarray(key), jnp.asarray(value)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError(
            "dot_product_attention: inputs are not 4-D. Expected query, key and value of shape "
            f"(batch, length, heads, dim). Received: query.shape={query.shape}, "
            f"key.shape={key.shape}, value.shape={value.shape}. Reshape the heads into an axis.")
    if attn_logits_soft_cap is not None:
        raise ValueError(
            "dot_product_attention: attn_logits_soft_cap is only supported by Keras on TPU. "
            f"Expected None. Received: attn_logits_soft_cap={attn_logits_soft_cap!r}. "
            "Pass attn_logits_soft_cap=None.")
    dtype = jnp.result_type(query.dtype, key.dtype, value.dtype)
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)
    if bias is not None:
        bias = jnp.asarray(bias, dtype)
    if mask is not None:
        mask = jnp.asarray(mask, bool)
    if flash_attention and jax.default_backend() != "gpu":
        raise RuntimeError(
            "dot_product_attention: flash_attention=True needs cuDNN, which is not available on "
            f"the {jax.default_backend()!r} backend. Expected a GPU. Received: "
            "flash_attention=True. Pass flash_attention=None to let XLA pick the kernel.")
    implementation = "cudnn" if flash_attention else None
    try:
        return jax.nn.dot_product_attention(query, key, value, bias=bias, mask=mask, scale=scale,
                                            is_causal=is_causal, implementation=implementation)
    except (ValueError, NotImplementedError, RuntimeError):
        if implementation is None:
            raise
        return jax.nn.dot_product_attention(query, key, value, bias=bias, mask=mask, scale=scale,
                                            is_causal=is_causal)
