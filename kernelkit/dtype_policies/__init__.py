"""Dtype policies (Keras's `keras.dtype_policies`): what layers compute in and store weights in.

Example:
    >>> from kernelkit import dtype_policies
    >>> dtype_policies.get("mixed_float16").variable_dtype
    'float32'
"""

from kernelkit.dtype_policies.dtype_policy import DTypePolicy, FloatDTypePolicy
from kernelkit.dtype_policies.dtype_policy_map import DTypePolicyMap
from kernelkit.dtype_policies.global_policy import dtype_policy, set_dtype_policy
from kernelkit.dtype_policies.policy_lookup import deserialize, get, serialize
from kernelkit.dtype_policies.quantized_policies import (
    AWQDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)

__all__ = ["AWQDTypePolicy", "DTypePolicy", "DTypePolicyMap", "FloatDTypePolicy",
           "GPTQDTypePolicy", "Int4DTypePolicy", "QuantizedDTypePolicy",
           "QuantizedFloat8DTypePolicy", "deserialize", "dtype_policy", "get", "serialize",
           "set_dtype_policy"]
