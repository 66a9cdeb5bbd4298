"""The `Loss` base class and `LossFunctionWrapper`, which turns `fn(y_true, y_pred)` into a Loss."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.config import floatx
from kernelkit.losses.reduction import (
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["BuiltinLoss", "Loss", "LossFunctionWrapper", "as_float_pair", "standardize_dtype"]


def standardize_dtype(dtype) -> str:
    """Returns a dtype name: `None` means `floatx()`, a policy gives its compute dtype."""
    if dtype is None:
        return floatx()
    dtype = getattr(dtype, "compute_dtype", dtype)
    return jnp.dtype(dtype).name


def as_float_pair(y_true, y_pred):
    """Converts `y_pred` to a float array and `y_true` to the same dtype.

    Example:
        >>> t, p = as_float_pair([1, 0], [0.5, 0.5])
        >>> str(t.dtype)
        'float32'
    """
    y_pred = jnp.asarray(y_pred)
    if not jnp.issubdtype(y_pred.dtype, jnp.floating):
        y_pred = y_pred.astype(floatx())
    return jnp.asarray(y_true).astype(y_pred.dtype), y_pred


@register_builtin("keras.losses")
class Loss:
    """Base class of losses: `call` gives per-sample values, `__call__` weights and reduces.

    Subclass it and implement `call(y_true, y_pred)`. The whole computation is pure, so a
    loss can be called inside `jax.jit` and differentiated.

    Args:
        name: name of the loss instance.
        reduction: `"sum_over_batch_size"` (default: the sum divided by the number of
            elements), `"sum"`, `"mean"` (same as the default), `"mean_with_sample_weight"`
            (the sum divided by the sum of the sample weights), or `"none"`/`None`.
        dtype: dtype of the computation; defaults to `kernelkit.config.floatx()`.

    Example:
        >>> class Squares(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return jnp.mean((y_true - y_pred) ** 2, axis=-1)
        >>> float(Squares()(jnp.ones((2, 3)), jnp.zeros((2, 3))))
        1.0
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = standardize_dtype(dtype)

    @property
    def dtype(self) -> str:
        """The dtype name of the loss computation."""
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_true = jnp.asarray(y_true, self.dtype)
        y_pred = jnp.asarray(y_pred, self.dtype)
        values, mask = self.call_with_mask(y_true, y_pred)
        return reduce_weighted_values(values, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def call(self, y_true, y_pred):
        """Returns the per-sample loss values (implemented by subclasses)."""
        raise NotImplementedError(
            f"{type(self).__name__}: call() is not implemented. Expected a Loss subclass "
            "that defines call(y_true, y_pred). Implement call() returning per-sample losses."
        )

    def call_with_mask(self, y_true, y_pred):
        """Returns `(values, mask)`; `mask` (or `None`) marks the entries that count."""
        return self.call(y_true, y_pred), None

    def get_config(self) -> dict:
        """Returns the constructor arguments, as Keras writes them."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Rebuilds the loss from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


@register_builtin("keras.losses")
class LossFunctionWrapper(Loss):
    """Wraps a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.

    Args:
        fn: the loss function.
        reduction: see `Loss`.
        name: name of the loss instance.
        dtype: dtype of the computation.
        **kwargs: keyword arguments passed to `fn`.

    Example:
        >>> loss = LossFunctionWrapper(lambda t, p: jnp.abs(t - p).mean(-1))
        >>> float(loss(jnp.zeros((2, 2)), jnp.ones((2, 2))))
        1.0
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "fn": serialize(self.fn), **serialize(self._fn_kwargs)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"], module="keras.losses",
                                       where="LossFunctionWrapper.from_config")
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class BuiltinLoss(LossFunctionWrapper):
    """A built-in `LossFunctionWrapper` whose config is its constructor arguments."""

    _config_keys: tuple[str, ...] = ()

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    __repr__ = Loss.__repr__
