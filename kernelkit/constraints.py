"""Weight constraints (projections applied after each optimizer update), and `get`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config
from kernelkit.registry import register_builtin

__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "get"]

_register = register_builtin("keras.constraints")


class Constraint:
    """Base class: `constraint(w)` returns the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _norms(w, axis):
    return jnp.sqrt(jnp.sum(jnp.square(w), axis=axis, keepdims=True))


@_register
class MaxNorm(Constraint):
    """Caps the norm along `axis` at `max_value`."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = jnp.clip(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@_register
class NonNeg(Constraint):
    """Clips negative weights to zero.

    Example:
        >>> NonNeg()(jnp.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __call__(self, w):
        return w * (w >= 0.0).astype(w.dtype)


@_register
class UnitNorm(Constraint):
    """Scales to unit norm along `axis`."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


@_register
class MinMaxNorm(Constraint):
    """Moves the norm along `axis` towards `[min_value, max_value]` at `rate`."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * jnp.clip(norms, self.min_value, self.max_value) + (
            1 - self.rate
        ) * norms
        return w * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


_ALIASES = {"max_norm": MaxNorm, "maxnorm": MaxNorm, "non_neg": NonNeg, "nonneg": NonNeg,
            "unit_norm": UnitNorm, "unitnorm": UnitNorm, "min_max_norm": MinMaxNorm,
            "minmaxnorm": MinMaxNorm}


def get(identifier):
    """Resolves a constraint from a name, instance, dict, callable or `None`."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, dict):
        from kernelkit.registry import deserialize

        return deserialize(identifier, module="keras.constraints", where="constraint")
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown constraint {identifier!r}. Expected one of {sorted(_ALIASES)}. "
                f"Received: identifier={identifier!r}."
            )
        return cls()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret constraint identifier. Received: {identifier!r}.")
