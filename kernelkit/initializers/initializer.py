"""The `Initializer` base class and the registration of initializer names."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config, registry

__all__ = ["Initializer"]

_MODULE = "keras.initializers"
_NAMES: dict[str, type] = {}  # Keras's ALL_OBJECTS_DICT: class names, snake_case names, aliases


def _register(*aliases):
    def decorate(cls):
        for name in (cls.__name__, *aliases):
            _NAMES[name] = registry.register_builtin(_MODULE, name)(cls)
        return cls

    return decorate


def _dtype(dtype):
    return jnp.dtype(dtype or config.floatx())


def _float_dtype(who, dtype):
    dtype = _dtype(dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(
            f"{who}: random values need a floating-point dtype. Expected e.g. 'float32'. "
            f"Received: dtype={dtype.name!r}. Use Zeros, Ones or Constant for other dtypes."
        )
    return dtype


@_register("initializer")
class Initializer:
    """Base class: `initializer(shape, dtype=None)` returns a new array.

    Subclasses implement `__call__` and, when they take arguments, `get_config`.

    Example:
        >>> class Halves(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return jnp.full(shape, 0.5, dtype or "float32")
        >>> Halves()((2,)).tolist()
        [0.5, 0.5]
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__}: Initializer subclasses must implement `__call__(shape, "
            "dtype=None)`. Received: a subclass without it. Define __call__ returning an array."
        )

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self):
        """Returns a new initializer with the same config (an unseeded one draws a new seed)."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
