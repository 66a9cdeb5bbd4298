"""Attention layers: Attention and MultiHeadAttention."""

from kernelkit.layers.attention.additive_attention import AdditiveAttention
from kernelkit.layers.attention.attention import Attention
from kernelkit.layers.attention.grouped_query_attention import GroupQueryAttention
from kernelkit.layers.attention.multi_head_attention import MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "GroupQueryAttention", "MultiHeadAttention"]
