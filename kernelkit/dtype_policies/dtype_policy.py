"""`DTypePolicy`: the variable dtype and the compute dtype of a layer (`"mixed_bfloat16"`)."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit import config
from kernelkit.registry import register_builtin

__all__ = ["QUANTIZATION_MODES", "DTypePolicy", "FloatDTypePolicy", "parse_policy_name"]

QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")
_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}
_DTYPES = ("float16", "float32", "float64", "bfloat16", "uint8", "uint16", "uint32", "uint64",
           "int8", "int16", "int32", "int64", "bool", "string", "float8_e4m3fn", "float8_e5m2",
           "complex64", "complex128")


def parse_policy_name(name) -> tuple[str, str]:
    """Returns the `(compute_dtype, variable_dtype)` a policy name stands for.

    Args:
        name: `"mixed_float16"`, `"mixed_bfloat16"` or a dtype name such as `"float32"`.

    Returns:
        The pair of dtype names.

    Raises:
        TypeError: if `name` is not a string.
        ValueError: if `name` is neither a mixed policy nor a dtype name.

    Example:
        >>> parse_policy_name("mixed_bfloat16")
        ('bfloat16', 'float32')
    """
    if not isinstance(name, str):
        raise TypeError(
            "DTypePolicy: the policy name must be a string. Expected a name such as "
            f"'mixed_float16'. Received: name={name!r} of type {type(name).__name__}. Pass "
            "the name as a string."
        )
    if name in _MIXED:
        return _MIXED[name]
    dtype = "int32" if name == "int" else name  # Keras's JAX backend maps "int" to int32
    if dtype not in _DTYPES:
        raise ValueError(
            f"DTypePolicy: unknown dtype policy {name!r}. Expected 'mixed_float16', "
            "'mixed_bfloat16' or a dtype name such as 'float32'. Received: "
            f"name={name!r}. Pass one of those names."
        )
    return dtype, dtype


@register_builtin("keras")
class DTypePolicy:
    """A layer's dtype policy: the dtype it computes in and the dtype of its variables.

    `"mixed_float16"` and `"mixed_bfloat16"` keep float32 variables and compute in the low
    dtype (layers cast float inputs and weights to it); any other dtype name uses that dtype
    for both. Layers accept a policy or its name as `dtype=`.

    Args:
        name: The policy name; `None` means the global policy
            (`kernelkit.mixed_precision.dtype_policy()`).

    Example:
        >>> policy = DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = _global_name()
        self._name = name
        self._compute_dtype, self._variable_dtype = parse_policy_name(name)
        self._quantization_mode = None

    @property
    def name(self) -> str:
        """The policy's name (`"mixed_float16"`, `"float32"`, ...)."""
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype layers compute (and return outputs) in."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype layers create their variables in."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """The quantization mode; `None` for a float policy."""
        return self._quantization_mode

    def convert_input(self, x, autocast, dtype):
        """Casts a float array `x` to `dtype` when `autocast`; other inputs pass unchanged.

        Args:
            x: An array, array-like or symbolic tensor.
            autocast: Whether float inputs are cast.
            dtype: The dtype to cast float inputs to.

        Returns:
            `x`, cast when it is a float array of another dtype.

        Example:
            >>> import numpy as np
            >>> DTypePolicy("mixed_float16").convert_input(np.ones(2), True, "float16").dtype
            dtype('float16')
        """
        dtype = parse_policy_name(dtype)[0]
        if not hasattr(x, "dtype") and not hasattr(x, "__array__"):
            return x
        if not hasattr(x, "dtype") or isinstance(x, np.ndarray):
            x = jnp.asarray(x)
        current = np.dtype(x.dtype)
        if autocast and jnp.issubdtype(current, jnp.floating) and current.name != dtype:
            return x.astype(dtype)
        return x

    def get_config(self) -> dict:
        """Returns `{"name": ...}`, as Keras writes it."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        """Rebuilds a policy from `get_config()`."""
        return cls(**config)

    def __repr__(self) -> str:
        shown = "DTypePolicy" if type(self) is FloatDTypePolicy else type(self).__name__
        return f'<{shown} "{self._name}">'

    def __eq__(self, other):
        # A policy also equals its name, so `dtype_policy() == "mixed_float16"` reads naturally.
        if isinstance(other, str):
            return self._quantization_mode is None and other == self._name
        plain = (DTypePolicy, FloatDTypePolicy)
        if type(self) in plain:
            if type(other) not in plain:
                return False
        elif type(other) is not type(self):
            return False
        return self._name == other._name

    def __hash__(self):
        return hash(self._name)


# Keras 2 files (and keras.mixed_precision) name the class "Policy": it reads as DTypePolicy.
register_builtin("keras.mixed_precision", "Policy")(DTypePolicy)


@register_builtin("keras")
class FloatDTypePolicy(DTypePolicy):
    """Keras's older name for a float `DTypePolicy`; it behaves the same.

    Example:
        >>> FloatDTypePolicy("float16") == DTypePolicy("float16")
        True
    """


def _global_name() -> str:
    policy = config.dtype_policy()
    return getattr(policy, "name", policy)
