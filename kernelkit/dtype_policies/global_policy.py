"""The global dtype policy of new layers: `dtype_policy()` and `set_dtype_policy(policy)`."""

from __future__ import annotations

from kernelkit import config
from kernelkit.dtype_policies.dtype_policy import DTypePolicy
from kernelkit.dtype_policies.policy_lookup import get

__all__ = ["dtype_policy", "set_dtype_policy"]


def dtype_policy() -> DTypePolicy:
    """Returns the global dtype policy (a `DTypePolicy`; `floatx()` unless set).

    Returns:
        The policy new layers get when they are given no `dtype`.

    Example:
        >>> dtype_policy()
        <DTypePolicy "float32">
    """
    return config.dtype_policy()


def set_dtype_policy(policy) -> None:
    """Sets the global dtype policy, e.g. `"mixed_bfloat16"`; `None` goes back to `floatx()`.

    Args:
        policy: A `DTypePolicy`, its name, or `None`.

    Raises:
        ValueError: for a name that is no policy, or a value that is neither a name nor a
            `DTypePolicy`.

    Example:
        >>> set_dtype_policy("mixed_bfloat16"); dtype_policy().compute_dtype
        'bfloat16'
        >>> set_dtype_policy(None)
    """
    config.set_dtype_policy(policy)


def _resolve_global(policy):
    """What `config.set_dtype_policy` stores: a `DTypePolicy` (strings parsed as Keras does)."""
    if isinstance(policy, DTypePolicy):
        return policy
    if not isinstance(policy, str):
        raise ValueError(
            "set_dtype_policy: cannot use this value as a dtype policy. Expected the name of "
            "a policy (such as 'mixed_float16') or a DTypePolicy. Received: "
            f"policy={policy!r} of type {type(policy).__name__}. Pass a name or a DTypePolicy."
        )
    return get(policy)


config.register_policy_resolver(_resolve_global, DTypePolicy)
