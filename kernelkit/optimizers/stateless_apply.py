"""`stateless_apply`: one optimizer update as a pure function of Keras's variable lists."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.optimizers.state_variables import variable_layout

__all__ = ["stateless_apply"]


def _value(x):
    return x.get_value() if hasattr(x, "get_value") else x


def _check_length(optimizer, what, values, expected) -> list:
    values = list(values)
    if len(values) != expected:
        source = ("optimizer.variables" if what == "optimizer_variables"
                  else "the variables the optimizer was built with")
        raise ValueError(
            f"{type(optimizer).__name__}: stateless_apply expected {what} of length "
            f"{expected}, one per entry of {source}. Received: {what} of length "
            f"{len(values)}. Pass lists in Keras's order."
        )
    return values


def stateless_apply(optimizer, optimizer_variables, grads, trainable_variables):
    """Applies one update to given values and returns the new values (Keras 3's API).

    Pure and jit-able: the optimizer's own state is only used as a template.

    Args:
        optimizer: A built kernelkit optimizer (`optimizer.build(variables)` or trained).
        optimizer_variables: Values for `optimizer.variables`, in that order.
        grads: One gradient per trainable variable.
        trainable_variables: The values of the variables the optimizer was built with.

    Returns:
        `(trainable_variables, optimizer_variables)`: two lists of new arrays.

    Raises:
        ValueError: If the optimizer is not built, or a list has the wrong length.

    Example:
        >>> from kernelkit.optimizers import SGD
        >>> from kernelkit.variables import Variable
        >>> w = Variable(jnp.ones(2))
        >>> optimizer = SGD(0.5)
        >>> optimizer.build([w])
        >>> opt_vars = [v.value for v in optimizer.variables]
        >>> new_w, new_opt = optimizer.stateless_apply(opt_vars, [jnp.ones(2)], [w.value])
        >>> new_w[0].tolist(), int(new_opt[0]), w.value.tolist()
        ([0.5, 0.5], 1, [1.0, 1.0])
    """
    state = optimizer._live_state()
    if state is None:
        raise ValueError(
            f"{type(optimizer).__name__}: stateless_apply needs a built optimizer, whose "
            "variables exist. Expected optimizer.build(trainable_variables) first. "
            f"Received: optimizer_variables={describe(list(optimizer_variables))}. Call "
            "optimizer.build(model.trainable_variables)."
        )
    layout = variable_layout(optimizer, state)
    values = _check_length(optimizer, "optimizer_variables", optimizer_variables, len(layout))
    keys = optimizer._param_keys(state)
    trainable = _check_length(optimizer, "trainable_variables", trainable_variables, len(keys))
    grads = _check_length(optimizer, "grads", grads, len(keys))
    leaves, treedef = jax.tree_util.tree_flatten(state)
    for (_, index), value in zip(layout, values):
        leaves[index] = jnp.asarray(_value(value), jnp.result_type(leaves[index]))
    state = jax.tree_util.tree_unflatten(treedef, leaves)
    if optimizer._schedule is not None:  # the learning rate follows the given iteration
        state = state._replace(learning_rate=jnp.asarray(
            optimizer._schedule(state.iteration), jnp.float32))
    params = {k: jnp.asarray(_value(v)) for k, v in zip(keys, trainable)}
    grads = {k: jnp.asarray(_value(g)) for k, g in zip(keys, grads)}
    updates, state = optimizer.transform.update(grads, state, params)
    constraints = optimizer._constraints()
    new_params = []
    for i, key in enumerate(keys):
        new = (params[key] + updates[key]).astype(params[key].dtype)
        if constraints and constraints[i] is not None:
            new = constraints[i](new)
        new_params.append(new)
    new_leaves = jax.tree_util.tree_leaves(state)
    return new_params, [new_leaves[index] for _, index in layout]
