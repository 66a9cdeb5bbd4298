"""Global numeric defaults (Keras's `backend.floatx`, `epsilon`, `image_data_format`)."""

from __future__ import annotations

__all__ = ["dtype_policy", "epsilon", "floatx", "image_data_format", "set_dtype_policy",
           "set_epsilon", "set_floatx"]

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
_POLICIES = ("float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16")
_DTYPE_POLICY: str | None = None


def floatx() -> str:
    """Returns the default float dtype name (`"float32"` unless changed)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float dtype name."""
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(
            f"set_floatx: unknown float type. Expected one of {_VALID_FLOATX}. "
            f"Received: value={value!r}."
        )
    _FLOATX = value


def epsilon() -> float:
    """Returns the fuzz factor used in numeric expressions (default `1e-7`)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Returns the image layout; kernelkit layers default to `"channels_last"`."""
    return "channels_last"


def dtype_policy() -> str:
    """The name of the default dtype policy of new layers (`floatx()` unless set)."""
    return _DTYPE_POLICY or _FLOATX


def set_dtype_policy(policy) -> None:
    """Sets the default dtype policy of new layers, e.g. `"mixed_bfloat16"` or `"mixed_float16"`.

    Example:
        >>> set_dtype_policy("mixed_bfloat16"); dtype_policy()
        'mixed_bfloat16'
        >>> set_dtype_policy(None); dtype_policy()
        'float32'
    """
    global _DTYPE_POLICY
    name = getattr(policy, "name", policy)
    if name is not None and name not in _POLICIES:
        raise ValueError(
            f"set_dtype_policy: unknown dtype policy. Expected one of {_POLICIES} or None. "
            f"Received: policy={policy!r}."
        )
    _DTYPE_POLICY = name
