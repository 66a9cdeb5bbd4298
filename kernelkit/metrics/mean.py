"""Reduction metrics: `Sum`, `Mean`, and `MeanMetricWrapper` (any `fn(y_true, y_pred)`)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.losses.reduction import squeeze_or_expand_to_same_rank
from kernelkit.metrics.metric import Metric
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["BuiltinMeanMetric", "Mean", "MeanMetricWrapper", "Sum",
           "reduce_to_samplewise_values"]


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample, as Keras's metrics do.

    Weights of lower rank than the values (per-sample or temporal) first reduce the extra
    axes of the values with `reduce_fn`; the weights themselves are reduced to 1-D.

    Returns:
        `(values, sample_weight)`, both 1-D (or scalars); `sample_weight` may be `None`.

    Example:
        >>> v, w = reduce_to_samplewise_values(jnp.ones((2, 3)), jnp.array([1.0, 0.0]),
        ...                                    jnp.mean, "float32")
        >>> v.tolist(), w.tolist()
        ([1.0, 0.0], [1.0, 0.0])
    """
    values = jnp.asarray(values).astype(dtype)
    if sample_weight is not None:
        sample_weight = jnp.asarray(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.ndim, values.ndim
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = jnp.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


@register_builtin("keras.metrics")
class Sum(Metric):
    """The (weighted) sum of the given values.

    Example:
        >>> m = Sum()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def state_shapes(self):
        return {"total": ((), self.dtype)}

    def update(self, state, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, jnp.sum, self.dtype)
        return {"total": state["total"] + jnp.sum(values)}

    def compute(self, state):
        return state["total"].astype(self.dtype)


@register_builtin("keras.metrics")
class Mean(Metric):
    """The (weighted) mean of the given values: `total / count`.

    Example:
        >>> m = Mean()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _direction = None

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def state_shapes(self):
        return {"total": ((), self.dtype), "count": ((), self.dtype)}

    def update(self, state, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, jnp.mean,
                                                            self.dtype)
        if sample_weight is not None:
            count = jnp.sum(sample_weight)
        else:
            count = values.shape[0] if values.ndim >= 1 else 1
        return {"total": state["total"] + jnp.sum(values),
                "count": state["count"] + jnp.asarray(count, self.dtype)}

    def compute(self, state):
        count = state["count"]
        safe = jnp.where(count == 0, 1, count)
        return jnp.where(count == 0, 0, state["total"] / safe).astype(self.dtype)


@register_builtin("keras.metrics")
class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Any function returning per-sample values works, so user functions become metrics.

    Args:
        fn: the function to average, `fn(y_true, y_pred, **kwargs)`.
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        **kwargs: keyword arguments passed to `fn`.

    Example:
        >>> m = MeanMetricWrapper(lambda t, p: jnp.abs(t - p))
        >>> m.update_state(jnp.array([0.0, 0.0]), jnp.array([1.0, 3.0]))
        >>> float(m.result())
        2.0
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update(self, state, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update(state, values, sample_weight=sample_weight)

    def get_config(self):
        return {**super().get_config(), "fn": serialize(self._fn), **serialize(self._fn_kwargs)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"], module="keras.metrics",
                                       where="MeanMetricWrapper.from_config")
        return cls(**config)


class BuiltinMeanMetric(MeanMetricWrapper):
    """A built-in `MeanMetricWrapper` whose config is its constructor arguments."""

    _config_keys: tuple[str, ...] = ()

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(fn, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self):
        config = Metric.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
