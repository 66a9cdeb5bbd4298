"""Weight and activity regularizers with Keras names, and `get(identifier)`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.registry import register_builtin

__all__ = ["L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "get", "l1", "l1_l2", "l2"]

_register = register_builtin("keras.regularizers")


class Regularizer:
    """Base class: `regularizer(x)` returns a scalar penalty."""

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check(name, value):
    value = 0.0 if value is None else float(value)
    if value < 0 or value != value:
        raise ValueError(f"{name}: the factor must be a non-negative number. Received: {value!r}.")
    return value


@_register
class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x**2)`.

    Example:
        >>> float(L1L2(l1=1.0, l2=1.0)(jnp.array([1.0, -2.0])))
        8.0
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = _check("L1L2 l1", l1), _check("L1L2 l2", l2)

    def __call__(self, x):
        out = 0.0
        if self.l1:
            out = out + self.l1 * jnp.sum(jnp.abs(x))
        if self.l2:
            out = out + self.l2 * jnp.sum(jnp.square(x))
        return jnp.asarray(out, dtype=jnp.result_type(x, jnp.float32))

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@_register
class L1(Regularizer):
    """`l1 * sum(|x|)`, default factor 0.01."""

    def __init__(self, l1=0.01):
        self.l1 = _check("L1", l1)

    def __call__(self, x):
        return self.l1 * jnp.sum(jnp.abs(x))

    def get_config(self):
        return {"l1": self.l1}


@_register
class L2(Regularizer):
    """`l2 * sum(x**2)`, default factor 0.01."""

    def __init__(self, l2=0.01):
        self.l2 = _check("L2", l2)

    def __call__(self, x):
        return self.l2 * jnp.sum(jnp.square(x))

    def get_config(self):
        return {"l2": self.l2}


@_register
class OrthogonalRegularizer(Regularizer):
    """Penalizes non-orthogonal rows (or columns) of a 2-D kernel, as in Keras."""

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError(
                "OrthogonalRegularizer: `mode` must be 'rows' or 'columns'. "
                f"Received: mode={mode!r}."
            )
        self.factor, self.mode = _check("OrthogonalRegularizer", factor), mode

    def __call__(self, x):
        if x.ndim != 2:
            raise ValueError(
                "OrthogonalRegularizer: inputs must be 2-D. "
                f"Received: inputs.shape={tuple(x.shape)}."
            )
        x = x if self.mode == "rows" else x.T
        x = x / jnp.maximum(jnp.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        size = x.shape[0]
        product = jnp.abs(x @ x.T)
        off_diag = jnp.sum(product) - jnp.sum(jnp.diag(product))
        return self.factor * off_diag / (size * (size - 1) / 2)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1, l2, l1_l2 = L1, L2, L1L2
_ALIASES = {"l1": L1, "l2": L2, "l1_l2": L1L2, "l1l2": L1L2,
            "orthogonal_regularizer": OrthogonalRegularizer}


def get(identifier):
    """Resolves a regularizer from a name, instance, dict, callable or `None`."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict):
        from kernelkit.registry import deserialize

        return deserialize(identifier, module="keras.regularizers", where="regularizer")
    if isinstance(identifier, str):
        cls = _ALIASES.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown regularizer {identifier!r}. Expected one of {sorted(_ALIASES)}. "
                f"Received: identifier={identifier!r}."
            )
        return cls()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret regularizer identifier. Received: {identifier!r}.")
