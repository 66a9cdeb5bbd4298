"""Global numeric defaults (Keras's `backend.floatx`, `epsilon`, `image_data_format`)."""

from __future__ import annotations

__all__ = ["dtype_policy", "epsilon", "floatx", "image_data_format",
           "register_policy_resolver", "set_dtype_policy", "set_epsilon", "set_floatx"]

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
_POLICIES = ("float16", "bfloat16", "float32", "float64", "mixed_float16", "mixed_bfloat16")
_DTYPE_POLICY = None  # a DTypePolicy (a name before kernelkit.dtype_policies loads), or None
_POLICY_RESOLVER = None
_POLICY_CLASS = None


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


def dtype_policy():
    """Returns the global dtype policy of new layers, a `DTypePolicy` (`floatx()` unless set).

    Example:
        >>> dtype_policy()
        <DTypePolicy "float32">
    """
    if _DTYPE_POLICY is not None:
        return _DTYPE_POLICY
    return _POLICY_CLASS(_FLOATX) if _POLICY_CLASS is not None else _FLOATX


def set_dtype_policy(policy) -> None:
    """Sets the global dtype policy, e.g. `"mixed_bfloat16"` or `"mixed_float16"`.

    Args:
        policy: A `DTypePolicy`, its name, or `None` to go back to `floatx()`.

    Raises:
        ValueError: for a value that is not a dtype policy.

    Example:
        >>> set_dtype_policy("mixed_bfloat16"); dtype_policy().name
        'mixed_bfloat16'
        >>> set_dtype_policy(None); dtype_policy().name
        'float32'
    """
    global _DTYPE_POLICY
    if policy is None:
        _DTYPE_POLICY = None
    elif _POLICY_RESOLVER is not None:
        _DTYPE_POLICY = _POLICY_RESOLVER(policy)
    else:  # kernelkit.dtype_policies not imported yet: keep a validated name
        name = getattr(policy, "name", policy)
        if name not in _POLICIES:
            raise ValueError(
                f"set_dtype_policy: unknown dtype policy. Expected one of {_POLICIES} or None. "
                f"Received: policy={policy!r}."
            )
        _DTYPE_POLICY = name


def register_policy_resolver(resolver, policy_class) -> None:
    """Lets `kernelkit.dtype_policies` (which sits above this module) build policy objects.

    Args:
        resolver: A function from a policy or its name to a `DTypePolicy`.
        policy_class: The `DTypePolicy` class, called with `floatx()` for the default policy.

    Example:
        >>> from kernelkit.dtype_policies import DTypePolicy
        >>> isinstance(dtype_policy(), DTypePolicy)
        True
    """
    global _POLICY_RESOLVER, _POLICY_CLASS, _DTYPE_POLICY
    _POLICY_RESOLVER, _POLICY_CLASS = resolver, policy_class
    if isinstance(_DTYPE_POLICY, str):
        _DTYPE_POLICY = resolver(_DTYPE_POLICY)
