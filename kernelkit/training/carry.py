"""Splitting a model once into the pytrees the pure steps carry, and writing them back.

The carry is `(params, rest, metrics, opt_state)`: trainable weights as a dict keyed by
`"<index>/<keras path>"` (so optimizers see weight names), the other model state (non-trainable
weights, batch statistics, random-stream counters) and the metric variables as flat lists of
raw arrays. Only raw arrays cross the jit boundary; NNX Variables are rebuilt inside the trace.

The optax state lives between runs in the model's one `OptimizerStateRef`: a run's carry reads
its optimizer state from there and writes each new state back, so the optimizer's Keras
properties (`iterations`, `learning_rate`, `variables`), saving and `BackupAndRestore` all see
the same, current value.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import numpy as np
from flax import nnx

from kernelkit.distribution.placement import place_optimizer_state, place_replicated
from kernelkit.layers.variables import is_trainable_variable, variable_path
from kernelkit.metrics.metric import MetricVariable

__all__ = ["Carry", "OptimizerStateRef", "Partition", "is_metric_variable", "trainable_filter"]


def trainable_filter(path, value) -> bool:
    return isinstance(value, nnx.Param) and is_trainable_variable(value)


def is_metric_variable(path, value) -> bool:
    return isinstance(value, MetricVariable)


@dataclass
class Carry:
    """What one pure step takes and returns (a pytree of raw arrays)."""

    params: dict
    rest: list
    metrics: list
    opt_state: object


jax.tree_util.register_dataclass(Carry, data_fields=["params", "rest", "metrics", "opt_state"],
                                 meta_fields=[])


class Partition:
    """The static half of a split model: graph definition, state layouts, parameter keys."""

    def __init__(self, model):
        graphdef, params, metrics, rest = nnx.split(model, trainable_filter,
                                                    is_metric_variable, ...)
        self.graphdef = graphdef
        flat = nnx.to_flat_state(params)
        self.param_keys = [f"{i:05d}/{variable_path(v)}" for i, (_, v) in enumerate(flat)]
        self.params_def = jax.tree_util.tree_structure(params)
        self.rest_def = jax.tree_util.tree_structure(rest)
        self.metrics_def = jax.tree_util.tree_structure(metrics)
        self.constraints = {
            key: v.get_metadata().get("constraint")
            for key, (_, v) in zip(self.param_keys, flat)
            if v.get_metadata().get("constraint") is not None}
        # initial metric values live on the host: device copies are donated by the steps
        self.metric_defaults = [np.asarray(m) for m in jax.tree_util.tree_leaves(metrics)]

    @staticmethod
    def structure_of(model):
        _, params, metrics, rest = nnx.split(model, trainable_filter, is_metric_variable, ...)
        return tuple(jax.tree_util.tree_structure(s) for s in (params, rest, metrics))

    @property
    def structure(self):
        return (self.params_def, self.rest_def, self.metrics_def)

    # ---- model <-> carry ----------------------------------------------------------------------

    def carry_of(self, model, params=None, metrics=None, rest=None, opt_state=None) -> Carry:
        """Reads the model's current state (eagerly or inside a trace) into a `Carry`."""
        if params is None:
            _, params, metrics, rest = nnx.split(model, trainable_filter, is_metric_variable, ...)
        return Carry(self.params_to_dict(params), jax.tree_util.tree_leaves(rest),
                     jax.tree_util.tree_leaves(metrics), opt_state)

    def params_to_dict(self, params_state) -> dict:
        return dict(zip(self.param_keys, jax.tree_util.tree_leaves(params_state)))

    def params_to_state(self, params: dict):
        return jax.tree_util.tree_unflatten(self.params_def, [params[k] for k in self.param_keys])

    def states_of(self, carry: Carry):
        return (self.params_to_state(carry.params),
                jax.tree_util.tree_unflatten(self.metrics_def, carry.metrics),
                jax.tree_util.tree_unflatten(self.rest_def, carry.rest))

    def merge(self, carry: Carry):
        """A fresh model object holding `carry` (inside a trace: traced values)."""
        params, metrics, rest = self.states_of(carry)
        return nnx.merge(self.graphdef, params, metrics, rest, copy=True)

    def write_back(self, model, carry: Carry) -> None:
        """Puts the carry's arrays into the model's own Variables."""
        params, metrics, rest = self.states_of(carry)
        nnx.update(model, params, metrics, rest)

    def fresh_metrics(self) -> list:
        """New device copies of the initial metric values (a transfer; nothing compiles)."""
        return place_replicated(list(self.metric_defaults))  # on the mesh, if any

    def reset_metrics(self, carry: Carry) -> Carry:
        """The carry with every metric variable back at its initial value."""
        return Carry(carry.params, carry.rest, self.fresh_metrics(), carry.opt_state)

    def apply_constraints(self, params: dict) -> dict:
        if not self.constraints:
            return params
        return {k: (self.constraints[k](v) if k in self.constraints else v)
                for k, v in params.items()}


# ---- the optimizer state between runs -------------------------------------------------------

class OptimizerStateRef:
    """The optax state of a model's optimizer and the parameter keys it was made for.

    Example:
        >>> ref = OptimizerStateRef()
        >>> ref.get() is None
        True
    """

    def __init__(self):
        self.keys: tuple | None = None
        self.state = None

    def get(self):
        """The current optax state (None before the first training step)."""
        return self.state

    def set(self, state) -> None:
        """Replaces the state (the optimizer's setters write through this)."""
        if self.keys is not None:
            self.state = state

    def clear(self) -> None:
        """Forgets the state (a new `compile`, or weights replaced by a file)."""
        self.keys, self.state = None, None

    def for_params(self, optimizer, keys, params: dict):
        """The state for these parameters: the one kept, or a fresh one when they changed.

        Args:
            optimizer: The compiled optimizer (its optax `transform` makes a fresh state).
            keys: The parameter keys of the carry, in order.
            params: The parameters, keyed by `keys`.

        Returns:
            The optax state.
        """
        keys = tuple(keys)
        if self.state is None or self.keys != keys:
            self.keys, self.state = keys, place_optimizer_state(optimizer.transform.init(params))
        return self.state

    def attach_to(self, optimizer) -> None:
        """Makes `optimizer`'s Keras properties read and write this state."""
        if hasattr(optimizer, "attach"):
            optimizer.attach(self.get, self.set)
