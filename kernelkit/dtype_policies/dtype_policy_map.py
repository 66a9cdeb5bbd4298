"""`DTypePolicyMap`: a dict from layer paths (or regular expressions) to dtype policies."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

from kernelkit.dtype_policies.dtype_policy import DTypePolicy
from kernelkit.dtype_policies.policy_lookup import get
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["DTypePolicyMap"]


@register_builtin("keras.dtype_policies")
class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Maps layer paths to `DTypePolicy` objects; keys may be regular expressions.

    A lookup tries the exact key first, then every key as a pattern (`re.fullmatch`), and
    falls back to `default_policy`. Its own dtypes are the default policy's.

    Args:
        default_policy: The policy for paths no key matches; `None` means the global policy.
        policy_map: Optional dict of path (or pattern) to policy.

    Raises:
        ValueError: if `default_policy` is itself a `DTypePolicyMap`.
        TypeError: if `policy_map` is not a dict.

    Example:
        >>> policies = DTypePolicyMap(default_policy="float32")
        >>> policies["encoder/.*"] = "bfloat16"
        >>> policies["encoder/dense"].name, policies["decoder"].name
        ('bfloat16', 'float32')
    """

    def __init__(self, default_policy=None, policy_map=None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError(
                "DTypePolicyMap: `default_policy` cannot be a DTypePolicyMap. Expected a "
                "DTypePolicy, a policy name or None. Received: default_policy=a "
                "DTypePolicyMap. Pass its default_policy instead."
            )
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(
                "DTypePolicyMap: `policy_map` must be a dict. Expected a dict of path to "
                f"policy. Received: policy_map={policy_map!r} of type "
                f"{type(policy_map).__name__}. Pass a dict."
            )
        self._default_policy_arg = default_policy
        self._default_policy = get(default_policy)
        self._policy_map = policy_map or {}
        self._quantization_mode = None

    @property
    def name(self) -> str:
        return f"map_{self.default_policy.name}"

    @property
    def default_policy(self) -> DTypePolicy:
        """The policy for paths that no key matches."""
        return get(self._default_policy)

    @property
    def compute_dtype(self) -> str:
        return self.default_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self.default_policy.variable_dtype

    @property
    def quantization_mode(self):
        return self.default_policy.quantization_mode

    def __getitem__(self, key) -> DTypePolicy:
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [pattern for pattern in self._policy_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(
                f"DTypePolicyMap: path {key!r} matches several keys {matches}. Expected at "
                f"most one matching key per path. Received: key={key!r}. Make the patterns "
                "exclusive."
            )
        return self._policy_map[matches[0]] if matches else self.default_policy

    def __setitem__(self, key, policy) -> None:
        if key in self._policy_map:
            raise ValueError(
                f"DTypePolicyMap: key {key!r} is already set to {self._policy_map[key]}. "
                f"Expected a new key. Received: key={key!r}. Delete the key first."
            )
        try:
            policy = get(policy)
        except (TypeError, ValueError):
            raise ValueError(
                "DTypePolicyMap: the value cannot be read as a dtype policy. Expected a "
                f"DTypePolicy or a policy name. Received: policy={policy!r}. Pass a name "
                "such as 'bfloat16'."
            ) from None
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key) -> bool:
        return key in self._policy_map

    def __len__(self) -> int:
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def get_config(self) -> dict:
        """Returns the config as Keras writes it (without a default, names are left `None`)."""
        policies = serialize(self._policy_map)
        if self._default_policy_arg is None:  # Keras then lets each policy follow the global one
            for entry in policies.values():
                entry["config"] = {**entry["config"], "name": None}
        return {"default_policy": self._default_policy_arg, "policy_map": policies}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the map, resolving its policies through the registry."""
        config = dict(config)
        config["policy_map"] = {
            k: deserialize(v, module="keras.dtype_policies", custom_objects=custom_objects,
                           where=f"DTypePolicyMap.policy_map[{k!r}]")
            for k, v in (config.get("policy_map") or {}).items()}
        return cls(**config)

    def __repr__(self) -> str:
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return (f"<DTypePolicyMap at {hex(id(self))} default_policy="
                f"{self._default_policy.name}, mapping={mapping}>")
