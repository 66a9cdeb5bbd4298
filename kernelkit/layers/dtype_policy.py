"""Layers' dtype policies, re-exported from `kernelkit.dtype_policies` where they live."""

from kernelkit.dtype_policies import DTypePolicy
from kernelkit.dtype_policies import get as get_policy

__all__ = ["DTypePolicy", "get_policy"]
