"""Dtype policies: the variable dtype and the compute dtype of a layer (`"mixed_bfloat16"`)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.registry import register_builtin

__all__ = ["DTypePolicy", "get_policy"]

_VALID = ("float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16",
          "int32", "int64", "uint8", "bool")


@register_builtin("keras")
class DTypePolicy:
    """`DTypePolicy("mixed_bfloat16")` keeps float32 variables and computes in bfloat16."""

    def __init__(self, name=None):
        name = name or config.floatx()
        if name not in _VALID:
            raise ValueError(
                f"DTypePolicy: unknown dtype policy. Expected one of {_VALID}. "
                f"Received: name={name!r}."
            )
        self.name = name

    @property
    def compute_dtype(self) -> str:
        return self.name.removeprefix("mixed_")

    @property
    def variable_dtype(self) -> str:
        return "float32" if self.name.startswith("mixed_") else self.name

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self.name}">'


def get_policy(dtype) -> DTypePolicy:
    """Resolves `None`, a name, a numpy/jax dtype, a policy or its serialized dict."""
    if isinstance(dtype, DTypePolicy):
        return dtype
    if isinstance(dtype, dict):
        inner = dtype.get("config", dtype)
        return DTypePolicy(inner.get("name"))
    if dtype is None:
        return DTypePolicy(config.dtype_policy())
    if not isinstance(dtype, str):
        dtype = jnp.dtype(dtype).name
    return DTypePolicy(dtype)
