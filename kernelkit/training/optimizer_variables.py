"""A model's optimizer state as Keras's flat list of optimizer variables, and back.

Keras 3 saves `iterations`, `learning_rate`, then each trainable variable's slots in turn
(Adam: momentum and velocity of the first weight, then of the second, ...). kernelkit keeps
its optimizer state as an optax pytree (`OptimizerState`); this module converts between the
two so `.keras` files carry the optimizer state in Keras's order.
"""

from __future__ import annotations

import warnings

import jax
import numpy as np

__all__ = ["optimizer_variables", "restore_optimizer_variables"]


def _live_state(model):
    """`(param_keys, optax state)`: the model's one optimizer state (a running fit's, too)."""
    ref = model._trainer.optimizer_state
    return None if ref.state is None else (ref.keys, ref.state)


def _layout_order(state, num_params: int, num_leaves: int) -> list[int]:
    """Indices of the tree-ordered leaves, in Keras's variable order.

    Slots that are scalar placeholders (an option such as `amsgrad` is off) have no Keras
    variable: they are left out, and keep their initial value on restore.
    """
    slots = getattr(state, "slots", None)
    if not (hasattr(state, "_fields") and isinstance(slots, tuple) and all(
            len(jax.tree_util.tree_leaves(s)) == num_params for s in slots)):
        return list(range(num_leaves))
    shapes = [[np.shape(x) for x in jax.tree_util.tree_leaves(s)] for s in slots]
    real = [j for j in range(len(slots))
            if not (all(sh == () for sh in shapes[j])
                    and any(sh != () for other in shapes for sh in other))]
    head = [0, 1]  # iteration, learning_rate
    slot_part = [2 + j * num_params + i for i in range(num_params) for j in real]
    used = 2 + len(slots) * num_params
    return head + slot_part + list(range(used, num_leaves))


def optimizer_variables(model) -> list[np.ndarray] | None:
    """The optimizer's variables in Keras order, or None when no optimizer state exists.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((2,)), kk.layers.Dense(1)])
        >>> m.compile("sgd", "mse"); optimizer_variables(m) is None
        True
    """
    if not getattr(model, "compiled", False):
        return None
    kept = _live_state(model)
    if kept is None:
        return None
    keys, state = kept
    leaves = [np.asarray(x) for x in jax.device_get(jax.tree_util.tree_leaves(state))]
    return [leaves[i] for i in _layout_order(state, len(keys), len(leaves))]


def restore_optimizer_variables(model, arrays, filepath="file") -> bool:
    """Puts saved optimizer variables back into a compiled model's optimizer state.

    Builds a fresh state for the model's current weights, then replaces its leaves by
    `arrays` (in Keras order). When the number or shapes differ the fresh state is kept
    and a warning says so.

    Returns:
        True when the state was restored.
    """
    from kernelkit.training.carry import Partition

    if not getattr(model, "compiled", False) or not arrays:
        return False
    partition = Partition(model)
    params = partition.carry_of(model).params
    ref = model._trainer.optimizer_state
    ref.clear()
    template = ref.for_params(model.optimizer, partition.param_keys, params)
    leaves, treedef = jax.tree_util.tree_flatten(template)
    order = _layout_order(template, len(params), len(leaves))
    problem = None
    if len(arrays) != len(order):
        problem = f"the file holds {len(arrays)} variables, the optimizer has {len(order)}"
    else:
        for position, index in enumerate(order):
            if tuple(np.shape(arrays[position])) != tuple(np.shape(leaves[index])):
                problem = (f"variable {position} has shape {np.shape(arrays[position])} in the "
                           f"file, {np.shape(leaves[index])} in the optimizer")
                break
    if problem is not None:
        warnings.warn(
            f"load_model: the optimizer state in {str(filepath)!r} does not fit the "
            f"optimizer ({problem}), so the optimizer starts fresh.", stacklevel=3)
        return False
    new = list(leaves)
    for position, index in enumerate(order):
        new[index] = jax.numpy.asarray(np.asarray(arrays[position]),
                                       dtype=np.asarray(leaves[index]).dtype)
    ref.state = jax.tree_util.tree_unflatten(treedef, new)
    ref.attach_to(model.optimizer)
    return True
