"""Keras 3's stateless step form: `train_step(self, state, data)` returning `(logs, state)`.

When a model's `train_step` / `test_step` / `predict_step` takes `state`, the traced step
hands it Keras 3's tuples of arrays, in Keras's orders, and writes what it returns back into
the traced model copy (and the optimizer state), from which the carry is read as usual:

- train: `(trainable_variables, non_trainable_variables, optimizer_variables,
  metrics_variables)`, returns `(logs, state)` with the same four lists;
- test: `(trainable_variables, non_trainable_variables, metrics_variables)`, returns
  `(logs, state)`;
- predict: `(trainable_variables, non_trainable_variables)`, returns
  `(outputs, non_trainable_variables)`.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.errors import describe

__all__ = ["run_predict_step_with_state", "run_test_step_with_state",
           "run_train_step_with_state"]


def _values(variables) -> list:
    return [v[...] for v in variables]


def _write(model, variables, values, what: str) -> None:
    values = list(values)
    if len(values) != len(variables):
        raise ValueError(
            f"Model '{model.name}': the state returned by the step has {len(values)} "
            f"{what}, but the model has {len(variables)}. Expected the lists in the order of "
            f"model.{what}. Received: {what}={describe(values)}. Return the updated lists "
            "from the step, in the order they came in."
        )
    for variable, value in zip(variables, values):
        variable[...] = jnp.asarray(value, variable[...].dtype)


def _unpack(model, returned, size: int, kind: str):
    if not (isinstance(returned, tuple | list) and len(returned) == 2
            and isinstance(returned[1], tuple | list) and len(returned[1]) == size):
        raise ValueError(
            f"Model '{model.name}': {kind}_step(self, state, data) must return "
            f"(logs, state) with a state of {size} lists, as Keras 3's JAX trainer does. "
            f"Received: {describe(returned)}. Return `logs, (trainable_variables, "
            "non_trainable_variables, ...)`."
        )
    return returned[0], returned[1]


def _optimizer_values(optimizer, opt_state):
    from kernelkit.optimizers.state_variables import variable_layout

    layout = variable_layout(optimizer, opt_state)
    leaves, treedef = jax.tree_util.tree_flatten(opt_state)
    return [leaves[index] for _, index in layout], (layout, leaves, treedef)


def _with_optimizer_values(spec, values):
    layout, leaves, treedef = spec
    new = list(leaves)
    values = list(values)
    if len(values) != len(layout):
        raise ValueError(
            f"The state returned by train_step has {len(values)} optimizer_variables, but "
            f"the optimizer has {len(layout)}. Expected the list optimizer.stateless_apply "
            "returns. Return it unchanged in length and order."
        )
    for (_, index), value in zip(layout, values):
        new[index] = jnp.asarray(value, jnp.result_type(leaves[index]))
    return jax.tree_util.tree_unflatten(treedef, new)


def run_train_step_with_state(model, optimizer, opt_state, batch):
    """Calls `model.train_step(state, batch)`; returns `(logs, new optax state)`.

    Args:
        model: The traced model copy (its Variables receive the new values).
        optimizer: The compiled optimizer.
        opt_state: Its current optax state.
        batch: The batch, as the data yields it.

    Returns:
        The step's logs and the new optimizer state.
    """
    optimizer_values, spec = _optimizer_values(optimizer, opt_state)
    state = (_values(model.trainable_variables), _values(model.non_trainable_variables),
             optimizer_values, _values(model.metrics_variables))
    logs, new = _unpack(model, model.train_step(state, batch), 4, "train")
    _write(model, model.trainable_variables, new[0], "trainable_variables")
    _write(model, model.non_trainable_variables, new[1], "non_trainable_variables")
    _write(model, model.metrics_variables, new[3], "metrics_variables")
    return logs, _with_optimizer_values(spec, new[2])


def run_test_step_with_state(model, batch):
    """Calls `model.test_step(state, batch)` and writes the new state into `model`."""
    state = (_values(model.trainable_variables), _values(model.non_trainable_variables),
             _values(model.metrics_variables))
    logs, new = _unpack(model, model.test_step(state, batch), 3, "test")
    _write(model, model.non_trainable_variables, new[1], "non_trainable_variables")
    _write(model, model.metrics_variables, new[2], "metrics_variables")
    return logs


def run_predict_step_with_state(model, batch):
    """Calls `model.predict_step(state, batch)`; returns the outputs."""
    state = (_values(model.trainable_variables), _values(model.non_trainable_variables))
    returned = model.predict_step(state, batch)
    if isinstance(returned, tuple) and len(returned) == 2 and isinstance(returned[1], list):
        return returned[0]  # (outputs, non_trainable_variables), as Keras's form returns
    return returned
