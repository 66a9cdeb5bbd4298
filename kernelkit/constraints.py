"""Weight constraints (projections applied after each optimizer update), and `get`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config, registry

__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
    "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm",
]

_MODULE = "keras.constraints"
_NAMES: dict[str, type] = {}  # Keras's ALL_OBJECTS_DICT: class names and snake_case names


def _register(alias):
    def decorate(cls):
        for name in (cls.__name__, alias):
            _NAMES[name] = registry.register_builtin(_MODULE, name)(cls)
        return cls

    return decorate


def _norms(w, axis):
    return jnp.sqrt(jnp.sum(jnp.square(w), axis=axis, keepdims=True))


@_register("constraint")
class Constraint:
    """Base class: `constraint(w)` returns the projected weight (the identity here).

    Example:
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return jnp.clip(w, -1.0, 1.0)
        >>> Clip()(jnp.array([0.5, -2.0])).tolist()
        [0.5, -1.0]
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


@_register("max_norm")
class MaxNorm(Constraint):
    """Rescales slices along `axis` whose L2 norm exceeds `max_value` down to it.

    Args:
        max_value: The largest norm allowed. Defaults to `2`.
        axis: The axis (or axes) the norm is taken over; `0` for a Dense kernel's inputs.

    Example:
        >>> [round(v, 4) for v in MaxNorm(1.0)(jnp.array([[3.0], [4.0]])).ravel().tolist()]
        [0.6, 0.8]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        w = jnp.asarray(w)
        norms = _norms(w, self.axis)
        desired = jnp.clip(norms, 0, self.max_value)
        return w.astype(norms.dtype) * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@_register("non_neg")
class NonNeg(Constraint):
    """Clips negative weights to zero.

    Example:
        >>> NonNeg()(jnp.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __call__(self, w):
        return jnp.maximum(jnp.asarray(w), 0)


@_register("unit_norm")
class UnitNorm(Constraint):
    """Scales slices along `axis` to unit L2 norm.

    Args:
        axis: The axis (or axes) the norm is taken over. Defaults to `0`.

    Example:
        >>> [round(v, 4) for v in UnitNorm()(jnp.array([[3.0], [4.0]])).ravel().tolist()]
        [0.6, 0.8]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = jnp.asarray(w)
        norms = _norms(w, self.axis)
        return w.astype(norms.dtype) / (config.epsilon() + norms)

    def get_config(self):
        return {"axis": self.axis}


@_register("min_max_norm")
class MinMaxNorm(Constraint):
    """Moves the L2 norm of slices along `axis` into `[min_value, max_value]`, at `rate`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: The smallest norm. Defaults to `0.0`.
        max_value: The largest norm. Defaults to `1.0`.
        rate: How far to move, in `[0, 1]`. Defaults to `1.0` (all the way).
        axis: The axis (or axes) the norm is taken over. Defaults to `0`.

    Example:
        >>> w = MinMaxNorm(1.0, 2.0)(jnp.array([[0.3], [0.4]]))
        >>> [round(v, 4) for v in w.ravel().tolist()]
        [0.6, 0.8]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        w = jnp.asarray(w)
        norms = _norms(w, self.axis)
        desired = (self.rate * jnp.clip(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return w.astype(norms.dtype) * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm


_LOOKUP = registry.Lookup("constraints", "constraint", _MODULE, _NAMES,
                          accepts="a name, a dict, a Constraint or a callable")


def serialize(constraint) -> dict:
    """Returns Keras 3's serialized dict for a constraint.

    Args:
        constraint: The constraint to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> serialize(NonNeg())["class_name"]
        'NonNeg'
    """
    return _LOOKUP.serialize(constraint)


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from `serialize`'s dict (or Keras 3's), or a name.

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The constraint.

    Raises:
        UnsafeModelError: if the config names a class that is not known (a `ValueError`).

    Example:
        >>> deserialize({"class_name": "MaxNorm", "config": {"max_value": 3}}).max_value
        3
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves a constraint from a name, dict, class, instance, callable or None.

    Names are Keras's, case-sensitive: `"MaxNorm"`/`"max_norm"`, `"NonNeg"`/`"non_neg"`,
    `"UnitNorm"`/`"unit_norm"`, `"MinMaxNorm"`/`"min_max_norm"`.

    Args:
        identifier: A name, a serialized dict, a class, an instance, a callable or
            `None`.

    Returns:
        The constraint (`None` for `None`).

    Raises:
        ValueError: for an unknown name or dict.
        IdentifierTypeError: for an identifier that is not callable (also a `ValueError`).

    Example:
        >>> type(get("non_neg")).__name__
        'NonNeg'
    """
    return _LOOKUP.get(identifier)
