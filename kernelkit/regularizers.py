"""Weight and activity regularizers with Keras 3's names, formulas and configs, and `get`."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from kernelkit import config, registry

__all__ = [
    "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize", "get", "l1",
    "l1_l2", "l2", "orthogonal_regularizer", "serialize",
]

_MODULE = "keras.regularizers"
_NAMES: dict[str, type] = {}  # Keras's ALL_OBJECTS_DICT: class names and snake_case names


def _register(*aliases):
    def decorate(cls):
        for name in (cls.__name__, *aliases):
            _NAMES[name] = registry.register_builtin(_MODULE, name)(cls)
        return cls

    return decorate


def _check_factor(who, name, value):
    """Keras's rule: a finite, non-negative int or float; returned as a float."""
    if (not isinstance(value, int | float) or isinstance(value, bool) or math.isinf(value)
            or math.isnan(value) or value < 0):
        raise ValueError(
            f"{who}: invalid `{name}`. Expected a non-negative finite float. "
            f"Received: {name}={value!r}. Pass e.g. {name}=0.01."
        )
    return float(value)


@_register("regularizer")
class Regularizer:
    """Base class: `regularizer(x)` returns a scalar penalty added to the loss.

    Subclasses implement `__call__` and `get_config`.

    Example:
        >>> class HalfL1(Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * jnp.sum(jnp.abs(x))
        >>> float(HalfL1()(jnp.array([1.0, -2.0])))
        1.5
    """

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"{type(self).__name__}: this regularizer does not implement get_config(). "
            "Expected a get_config() returning its constructor arguments. Received: none. "
            "Add get_config() to the class."
        )

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


@_register("l1l2")
class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x**2)`.

    Args:
        l1: L1 factor, a non-negative float (None means 0). Defaults to `0.0`.
        l2: L2 factor, a non-negative float (None means 0). Defaults to `0.0`.

    Example:
        >>> float(L1L2(l1=1.0, l2=1.0)(jnp.array([1.0, -2.0])))
        8.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("L1L2", "l1", 0.0 if l1 is None else l1)
        self.l2 = _check_factor("L1L2", "l2", 0.0 if l2 is None else l2)

    def __call__(self, x):
        x = jnp.asarray(x)
        penalty = jnp.asarray(0.0, dtype=x.dtype)
        if self.l1 != 0.0:
            penalty = penalty + jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))
        if self.l2 != 0.0:
            penalty = penalty + jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@_register("l1")
class L1(Regularizer):
    """`l1 * sum(|x|)`.

    Args:
        l1: A non-negative float (None means the default). Defaults to `0.01`.

    Example:
        >>> float(L1(0.5)(jnp.array([1.0, -2.0])))
        1.5
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor("L1", "l1", 0.01 if l1 is None else l1)

    def __call__(self, x):
        x = jnp.asarray(x)
        return jnp.asarray(self.l1, x.dtype) * jnp.sum(jnp.abs(x))

    def get_config(self):
        return {"l1": self.l1}


@_register("l2")
class L2(Regularizer):
    """`l2 * sum(x**2)`.

    Args:
        l2: A non-negative float (None means the default). Defaults to `0.01`.

    Example:
        >>> float(L2(0.5)(jnp.array([1.0, -2.0])))
        2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor("L2", "l2", 0.01 if l2 is None else l2)

    def __call__(self, x):
        x = jnp.asarray(x)
        return jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))

    def get_config(self):
        return {"l2": self.l2}


@_register("orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D kernel towards mutual orthogonality.

    The penalty is `factor * 0.5 * sum(|off-diagonal of U U^T|) / num_pairs`, where `U` holds
    the L2-normalized rows (or columns) and `num_pairs = n * (n - 1) / 2`, as in Keras.

    Args:
        factor: A non-negative float. Defaults to `0.01`.
        mode: `"rows"` or `"columns"`.

    Example:
        >>> float(OrthogonalRegularizer(1.0)(jnp.eye(3)))
        0.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor("OrthogonalRegularizer", "factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                "OrthogonalRegularizer: unknown `mode`. Expected 'rows' or 'columns'. "
                f"Received: mode={mode!r}. Pick one of those."
            )
        self.mode = mode

    def __call__(self, inputs):
        inputs = jnp.asarray(inputs)
        if inputs.ndim != 2:
            raise ValueError(
                "OrthogonalRegularizer: the weight must be 2-D. Expected a rank-2 kernel. "
                f"Received: inputs.shape={tuple(inputs.shape)}. Reshape the kernel to 2-D "
                "or apply the regularizer to a Dense kernel."
            )
        units = inputs if self.mode == "rows" else inputs.T
        inv_norm = jnp.minimum(  # Keras's normalize: x * rsqrt(sum x^2), capped at 1 / eps
            jax.lax.rsqrt(jnp.sum(jnp.square(units), axis=1, keepdims=True)),
            1.0 / config.epsilon(),
        )
        units = units * inv_norm
        size = units.shape[0]
        product = units @ units.T
        off_diagonal = product * (1.0 - jnp.eye(size, dtype=inputs.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * jnp.sum(jnp.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer
_NAMES["l1_l2"] = registry.register_builtin(_MODULE, "l1_l2")(L1L2)  # Keras's public alias


_LOOKUP = registry.Lookup("regularizers", "regularizer", _MODULE, _NAMES,
                          accepts="a name, a dict, a Regularizer or a callable")


def serialize(regularizer) -> dict:
    """Returns Keras 3's serialized dict for a regularizer.

    Args:
        regularizer: The regularizer to write.

    Returns:
        Keras 3's serialized form: a dict, or a name.

    Example:
        >>> serialize(L2(0.5))["config"]
        {'l2': 0.5}
    """
    return _LOOKUP.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """Rebuilds a regularizer from `serialize`'s dict (or Keras 3's), or a name.

    Args:
        config: A dict `serialize` (or Keras 3) wrote, or a name.
        custom_objects: Optional dict of extra names to objects.

    Returns:
        The regularizer.

    Raises:
        UnsafeModelError: if the config names a class that is not known (a `ValueError`).

    Example:
        >>> deserialize({"class_name": "L1", "config": {"l1": 0.5}}).l1
        0.5
    """
    return _LOOKUP.deserialize(config, custom_objects)


def get(identifier):
    """Resolves a regularizer from a name, dict, class, instance, callable or None.

    Names are Keras's, case-sensitive: `"L1"`, `"l1"`, `"L2"`, `"l2"`, `"L1L2"`, `"l1l2"`
    (and `"l1_l2"`), `"OrthogonalRegularizer"`, `"orthogonal_regularizer"`.

    Args:
        identifier: A name, a serialized dict, a class, an instance, a callable or
            `None`.

    Returns:
        The regularizer (`None` for `None`).

    Raises:
        ValueError: for an unknown name or dict.
        IdentifierTypeError: for an identifier that is not callable (also a `ValueError`).

    Example:
        >>> get("l2").l2
        0.01
    """
    return _LOOKUP.get(identifier)
