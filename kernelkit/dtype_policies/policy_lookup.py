"""Resolving and (de)serializing dtype policies: `get`, `serialize`, `deserialize`."""

from __future__ import annotations

import numpy as np

from kernelkit import config
from kernelkit.dtype_policies.dtype_policy import QUANTIZATION_MODES, DTypePolicy
from kernelkit.dtype_policies.quantized_policies import quantized_policy_from_name
from kernelkit.registry import deserialize as _deserialize
from kernelkit.registry import serialize as _serialize

__all__ = ["deserialize", "get", "serialize"]

_PYTHON_TYPES = {float: "float32", int: "int32", bool: "bool"}  # as Keras's JAX backend


def serialize(dtype_policy) -> dict:
    """Returns a policy's config as Keras writes it (`{"module": "keras", ...}`).

    Args:
        dtype_policy: A `DTypePolicy`.

    Returns:
        A dict with `module`, `class_name`, `config` and `registered_name`.

    Example:
        >>> serialize(DTypePolicy("mixed_float16"))["config"]
        {'name': 'mixed_float16'}
    """
    return _serialize(dtype_policy)


def deserialize(config, custom_objects=None) -> DTypePolicy:
    """Rebuilds a policy from `serialize`'s output, through kernelkit's safe registry.

    Args:
        config: A dict written by `serialize`.
        custom_objects: Optional dict of extra names to classes.

    Returns:
        The `DTypePolicy`.

    Raises:
        ValueError: if the config does not describe a dtype policy.

    Example:
        >>> deserialize({"class_name": "DTypePolicy", "config": {"name": "bfloat16"}})
        <DTypePolicy "bfloat16">
    """
    policy = _deserialize(config, module="keras.dtype_policies", custom_objects=custom_objects,
                          where="dtype_policies.deserialize")
    if not isinstance(policy, DTypePolicy):
        raise ValueError(
            "dtype_policies.deserialize: the config does not describe a dtype policy. "
            f"Expected a DTypePolicy config. Received: config={config!r}. Pass the output "
            "of dtype_policies.serialize."
        )
    return policy


def get(identifier) -> DTypePolicy:
    """Resolves `None` (the global policy), a name, a dtype, a config dict or a policy.

    Args:
        identifier: The policy to resolve.

    Returns:
        A `DTypePolicy`.

    Raises:
        ValueError: if `identifier` cannot be read as a dtype policy.

    Example:
        >>> get("mixed_bfloat16").compute_dtype
        'bfloat16'
        >>> import numpy as np; get(np.float16)
        <DTypePolicy "float16">
    """
    if identifier is None:
        return _global()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    try:
        name = _PYTHON_TYPES.get(identifier) or np.dtype(identifier).name
        return DTypePolicy(name)
    except (TypeError, ValueError):
        raise ValueError(
            "dtype_policies.get: cannot read the value as a dtype policy. Expected None, a "
            "policy name, a dtype, a config dict or a DTypePolicy. Received: "
            f"dtype={identifier!r}. Pass a name such as 'float32' or 'mixed_bfloat16'."
        ) from None


def _global() -> DTypePolicy:
    policy = config.dtype_policy()
    return policy if isinstance(policy, DTypePolicy) else DTypePolicy(policy)
