"""The `Metric` base: a pure `init_state`/`update`/`compute` core under Keras's stateful API."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit.losses.loss import standardize_dtype
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.registry import register_builtin

__all__ = ["Metric", "MetricVariable"]


class MetricVariable(nnx.Variable):
    """One array of a metric's state; the training step carries these and resets them."""


@register_builtin("keras.metrics")
class Metric(nnx.Module):
    """Base class of metrics, split into a pure functional core and a stateful shell.

    The pure core threads a small pytree (a dict of arrays named like Keras's variables)
    through a jitted step:

    - `init_state()` returns the zero state;
    - `update(state, *args, **kwargs)` returns the new state (pure, jit-able);
    - `compute(state)` returns the result (pure, jit-able): a scalar, an array or a dict.

    Metrics whose state size depends on the data (`F1Score`, `R2Score`, multi-label `AUC`)
    must be built first with `build(y_true_shape, y_pred_shape)`. The stateful Keras API
    (`update_state`, `result`, `reset_state`, `variables`) stores the state on the object
    and builds it from the first batch.

    Subclasses implement `state_shapes()`, `update()` and `compute()`.

    Args:
        name: name of the metric instance; defaults to the class name in snake case.
        dtype: dtype of the state and result; defaults to `floatx()`.

    Example:
        >>> import jax
        >>> from kernelkit.metrics import Mean
        >>> m = Mean()
        >>> state = jax.jit(m.update)(m.init_state(), jnp.array([1.0, 3.0]))
        >>> float(m.compute(state))
        2.0
    """

    _kk_not_a_layer = True  # model state, never listed among a model's layers

    def __init_subclass__(cls, **kwargs):
        kwargs.setdefault("pytree", False)
        super().__init_subclass__(**kwargs)

    def __init__(self, name=None, dtype=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype = standardize_dtype(dtype)
        self._state = None  # {variable name: MetricVariable}, created on first use
        self.built = True

    @property
    def dtype(self) -> str:
        """The dtype name of the state and the result."""
        return self._dtype

    # ----- pure core ---------------------------------------------------------------------

    def build(self, y_true_shape=None, y_pred_shape=None) -> None:
        """Fixes the state shapes from the data shapes (a no-op for most metrics)."""
        self.built = True

    def state_shapes(self) -> dict:
        """Returns `{variable_name: (shape, dtype)}` in Keras's variable order."""
        return {}

    def init_state(self) -> dict:
        """Returns the initial (all-zero) state pytree."""
        if not self.built:
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}': the state size depends on the data, and "
                "the metric is not built. Expected build(y_true_shape, y_pred_shape) to be "
                "called first. Received: built=False. Call metric.build(...) with the batch "
                "shapes, or call update_state() once."
            )
        # made on the host and transferred: an eager jnp.zeros compiles a program per shape
        return {key: jax.device_put(np.zeros(shape, jnp.dtype(standardize_dtype(dtype))))
                for key, (shape, dtype) in self.state_shapes().items()}

    def update(self, state, *args, **kwargs) -> dict:
        """Returns the state after accumulating one batch (pure; implemented by subclasses)."""
        raise NotImplementedError(
            f"{type(self).__name__}: update() is not implemented. Expected a Metric subclass "
            "that defines update(state, y_true, y_pred, sample_weight=None). Implement it."
        )

    def compute(self, state):
        """Returns the metric value for `state` (pure; implemented by subclasses)."""
        raise NotImplementedError(
            f"{type(self).__name__}: compute() is not implemented. Expected a Metric subclass "
            "that defines compute(state). Implement it."
        )

    # ----- stateful Keras API -------------------------------------------------------------

    @property
    def state(self) -> dict:
        """The current state pytree (built and initialized on first access).

        The arrays live in `MetricVariable`s, so a model that owns the metric carries its state
        through the compiled training step like any other model state.
        """
        if self._state is None:
            self._state = {k: MetricVariable(v) for k, v in self.init_state().items()}
        return {k: v[...] for k, v in self._state.items()}

    @state.setter
    def state(self, value) -> None:
        if value is None:
            self._state = None
            return
        if self._state is None or list(self._state) != list(value):
            self._state = {k: MetricVariable(jnp.asarray(v)) for k, v in value.items()}
            return
        for key, v in value.items():
            self._state[key].set_value(jnp.asarray(v))

    @property
    def variables(self) -> list:
        """The state variables, in Keras's variable order."""
        if not self.built:
            return []
        self.state  # noqa: B018  (creates the variables on first access)
        return list(self._state.values())

    def update_state(self, *args, **kwargs) -> None:
        """Accumulates one batch into the state stored on the object."""
        if not self.built:
            self.build(*(jnp.shape(a) for a in args[:2]))
        self.state = self.update(self.state, *args, **kwargs)

    def result(self):
        """Returns the metric value for the stored state."""
        return self.compute(self.state)

    def reset_state(self) -> None:
        """Resets the stored state to zeros."""
        self.state = self.init_state() if self.built else None

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """Keras's stateless form: a list of arrays in, the updated list out."""
        state = dict(zip(self.state_shapes(), metric_variables, strict=True))
        return list(self.update(state, *args, **kwargs).values())

    def stateless_result(self, metric_variables):
        """Keras's stateless form of `result()`."""
        return self.compute(dict(zip(self.state_shapes(), metric_variables, strict=True)))

    def stateless_reset_state(self) -> list:
        """Keras's stateless form of `reset_state()`."""
        return list(self.init_state().values())

    # ----- serialization ------------------------------------------------------------------

    def get_config(self) -> dict:
        """Returns the constructor arguments, as Keras writes them."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Rebuilds the metric from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
