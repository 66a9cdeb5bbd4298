"""The `Metric` base: a pure `init_state`/`update`/`compute` core under Keras's stateful API.

Metrics can also be written the Keras 3 way: variables from `add_variable` in `__init__`,
`update_state` writing them with `assign_add`, `result` reading them. Both kinds have the
stateless methods (`stateless_update_state`, ...) and train inside the fused `fit()` loop.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from kernelkit import initializers
from kernelkit.losses.loss import standardize_dtype
from kernelkit.naming import to_snake_case, unique_name
from kernelkit.registry import register_builtin
from kernelkit.variables import Variable

__all__ = ["Metric", "MetricVariable"]


class MetricVariable(Variable):
    """One array of a metric's state (a Keras `Variable`); the training step carries these.

    Example:
        >>> v = MetricVariable(jnp.zeros(()), name="total")
        >>> _ = v.assign_add(2.0)
        >>> float(v.value), v.trainable
        (2.0, False)
    """

    _counts_writes = False  # metric writes never invalidate caches of the model's weights


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
        self._variables = []  # Keras-style variables from add_variable, in creation order
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
            self._state = {k: self._state_variable(k, v) for k, v in self.init_state().items()}
        return {k: v[...] for k, v in self._state.items()}

    def _state_variable(self, key, value) -> MetricVariable:
        return MetricVariable(value, name=key, path=f"{self.name}/{key}",
                              aggregation="sum", synchronization="on_read")

    @state.setter
    def state(self, value) -> None:
        if value is None:
            self._state = None
            return
        if self._state is None or list(self._state) != list(value):
            self._state = {k: self._state_variable(k, jnp.asarray(v)) for k, v in value.items()}
            return
        for key, v in value.items():
            self._state[key].set_value(jnp.asarray(v))

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a state variable (Keras 3's way of writing a metric) and returns it.

        Args:
            shape: The variable's shape.
            initializer: An initializer name, object or callable (`"zeros"`).
            dtype: The variable's dtype; defaults to `floatx()`.
            aggregation: How replicas combine it (`"sum"`, `"mean"`, ...).
            name: The variable's name; `variable`, `variable_1`, ... when omitted.

        Returns:
            A `MetricVariable` (a Keras `Variable`), listed in `variables`.

        Example:
            >>> class Total(Metric):
            ...     def __init__(self, name="total"):
            ...         super().__init__(name=name)
            ...         self.total = self.add_variable((), "zeros", name="total")
            ...     def update_state(self, values):
            ...         self.total.assign_add(jnp.sum(values))
            ...     def result(self):
            ...         return self.total.value
            >>> m = Total(); m.update_state(jnp.array([1.0, 2.0])); float(m.result())
            3.0
        """
        if not hasattr(self, "_variables"):
            raise RuntimeError(
                f"{type(self).__name__}: add_variable() was called before the metric was "
                "initialized. Expected super().__init__() first. Received: no base "
                "initialization. Call super().__init__(name=name) at the start of __init__."
            )
        shape = tuple(int(d) for d in (shape or ()))
        dtype = jnp.dtype(standardize_dtype(dtype))
        name = name or unique_name("variable")
        with jax.ensure_compile_time_eval():
            value = jnp.asarray(initializers.get(initializer or "zeros")(shape, dtype=dtype),
                                dtype)
        variable = MetricVariable(value, name=name, path=f"{self.name}/{name}",
                                  aggregation=aggregation or "none",
                                  synchronization="on_read")
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Keras's older alias of `add_variable` (aggregation `"sum"`).

        Args:
            shape: The variable's shape.
            initializer: An initializer; zeros when omitted.
            dtype: The variable's dtype; defaults to `floatx()`.
            name: The variable's name.

        Returns:
            The new `MetricVariable`.

        Example:
            >>> m = Metric(name="m"); m.add_weight((2,), "ones", name="w").shape
            (2,)
        """
        return self.add_variable(shape, initializer, dtype=dtype, name=name)

    def _submetrics(self) -> list:
        return [v for v in vars(self).values() if isinstance(v, Metric) and v is not self]

    def _is_keras_style(self) -> bool:
        """Whether the state lives in `add_variable` variables or sub-metrics."""
        return bool(getattr(self, "_variables", None)) or bool(self._submetrics())

    def _is_functional(self) -> bool:
        """Whether the state is the pure core's (`update`/`compute`), not Keras variables."""
        return not self._is_keras_style() and type(self).update is not Metric.update

    @property
    def variables(self) -> list:
        """The state variables, in Keras's order: own ones, then sub-metrics' ones."""
        out = list(getattr(self, "_variables", []))
        for sub in self._submetrics():
            out.extend(sub.variables)
        if not self.built or (self._state is None and not self.state_shapes()):
            return out
        self.state  # noqa: B018  (creates the variables on first access)
        return out + list(self._state.values())

    def update_state(self, *args, **kwargs) -> None:
        """Accumulates one batch into the state stored on the object."""
        if not self.built:
            self.build(*(jnp.shape(a) for a in args[:2]))
        self.state = self.update(self.state, *args, **kwargs)

    def result(self):
        """Returns the metric value for the stored state."""
        return self.compute(self.state)

    def reset_state(self) -> None:
        """Resets every state variable to zeros (as Keras's base `reset_state`)."""
        for variable in getattr(self, "_variables", []):
            variable.assign(np.zeros(variable.shape, variable.dtype))
        for sub in self._submetrics():
            sub.reset_state()
        self.state = self.init_state() if self.built else None

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def stateless_update_state(self, metric_variables, *args, **kwargs) -> list:
        """Keras's stateless form of `update_state`: arrays in, the updated arrays out.

        Pure and jit-able; the metric object is left untouched.

        Args:
            metric_variables: Arrays shaped like `variables`, in that order.
            *args: What `update_state` takes (`y_true, y_pred`, ...).
            **kwargs: Keyword arguments of `update_state` (`sample_weight`).

        Returns:
            The new arrays, in `variables` order.

        Example:
            >>> from kernelkit.metrics import Mean
            >>> m = Mean()
            >>> state = m.stateless_update_state(m.stateless_reset_state(), jnp.array([2.0]))
            >>> float(m.stateless_result(state)), float(m.result())
            (2.0, 0.0)
        """
        if self._is_functional():
            state = self._as_state(metric_variables)
            return list(self.update(state, *args, **kwargs).values())
        copy = self._copy_holding(metric_variables)
        copy.update_state(*args, **kwargs)
        return [v.get_value() for v in copy.variables]

    def stateless_result(self, metric_variables):
        """Keras's stateless form of `result()`.

        Args:
            metric_variables: Arrays shaped like `variables`, in that order.

        Returns:
            The metric value for that state.

        Example:
            >>> from kernelkit.metrics import Sum
            >>> float(Sum().stateless_result([jnp.array(4.0)]))
            4.0
        """
        if self._is_functional():
            return self.compute(self._as_state(metric_variables))
        return self._copy_holding(metric_variables).result()

    def stateless_reset_state(self) -> list:
        """Keras's stateless form of `reset_state()`: the reset arrays, the metric untouched.

        Returns:
            The initial arrays, in `variables` order.

        Example:
            >>> from kernelkit.metrics import Mean
            >>> [float(v) for v in Mean().stateless_reset_state()]
            [0.0, 0.0]
        """
        if self._is_functional():
            return list(self.init_state().values())
        copy = self._copy_holding(None)
        copy.reset_state()
        return [v.get_value() for v in copy.variables]

    def _check_count(self, metric_variables) -> list:
        values = list(metric_variables)
        expected = self._num_variables()
        if len(values) != expected:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': metric_variables must match the "
                f"metric's variables one to one. Expected {expected} arrays. Received: "
                f"{len(values)} arrays. Pass metric.variables or their values."
            )
        return values

    def _num_variables(self) -> int:
        """`len(self.variables)`, without creating the state (which may be inside a trace)."""
        own = len(getattr(self, "_variables", [])) + sum(
            sub._num_variables() for sub in self._submetrics())
        return own + (len(self.state_shapes()) if self.built else 0)

    def _as_state(self, metric_variables) -> dict:
        values = self._check_count(metric_variables)
        return dict(zip(self.state_shapes(), (_array_of(v) for v in values), strict=True))

    def _copy_holding(self, metric_variables):
        """A copy of the metric (made inside the current trace) holding `metric_variables`."""
        values = None if metric_variables is None else self._check_count(metric_variables)
        graphdef, state = nnx.split(self)
        copy = nnx.merge(graphdef, state, copy=True)
        if values is not None:
            for variable, value in zip(copy.variables, values):
                variable.set_value(jnp.asarray(_array_of(value), variable.dtype))
        return copy

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


def _array_of(value):
    return value.get_value() if isinstance(value, nnx.Variable) else value
