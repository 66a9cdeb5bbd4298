"""An optimizer's optax state seen as Keras 3's ordered list of optimizer variables.

Keras lists `iteration`, `learning_rate` (unless it is a schedule), the EMA of each weight
(`use_ema`), the gradient accumulator of each weight (`gradient_accumulation_steps`), then
the optimizer's own slots: slots created together are interleaved per weight (Adam:
momentum and velocity of the first weight, then of the second, ...), and later groups follow
(Adam's `velocity_hat`). `variable_layout` maps that list onto the leaves of an
`OptimizerState`; `OptimizerVariable` is a Keras `Variable` reading and writing one leaf of
the optimizer's live state.
"""

from __future__ import annotations

import re

import jax
import numpy as np

from kernelkit.variables import Variable

__all__ = ["OptimizerVariable", "param_keys_of", "variable_layout"]

# Keras's slot names and creation groups, per optimizer class; others get `slot_<j>` names,
# all interleaved per weight.
_SLOT_GROUPS = {
    "Adam": [["momentum", "velocity"], ["velocity_hat"]],
    "AdamW": [["momentum", "velocity"], ["velocity_hat"]],
    "SGD": [["momentum"]],
}


class OptimizerVariable(Variable):
    """A Keras `Variable` that is one array of an optimizer's live state (read and write).

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.optimizers import SGD
        >>> optimizer = SGD(0.1)
        >>> optimizer.build([Variable(jnp.ones(2))])
        >>> lr = optimizer.variables[1]
        >>> _ = lr.assign(0.5)
        >>> lr.name, round(float(optimizer.learning_rate), 2)
        ('learning_rate', 0.5)
    """

    _counts_writes = False

    def get_value(self, **kwargs):
        return self.get_metadata()["optimizer"]._state_leaf(self.get_metadata()["leaf"])

    def set_value(self, value, **kwargs):
        self.get_metadata()["optimizer"]._set_state_leaf(self.get_metadata()["leaf"], value)


def _per_param_trees(state) -> list:
    return [t for t in (state.ema, state.accumulators, *_slots(state)) if t is not None]


def _slots(state) -> tuple:
    return state.slots if isinstance(state.slots, tuple) else (state.slots,)


def param_keys_of(state) -> list[str] | None:
    """The parameter keys of a state's per-weight trees (dict keys), or None when it has none.

    Args:
        state: An `OptimizerState`.

    Returns:
        The keys in the order of the trees' leaves, or None.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.optimizers import Adam
        >>> state = Adam().init({"00000/w": jnp.ones(2)})
        >>> param_keys_of(state)
        ['00000/w']
    """
    for tree in _per_param_trees(state):
        if isinstance(tree, dict):
            return sorted(tree)
    return None


def _reference_name(key: str) -> str:
    return re.sub(r"^\d+/", "", key).replace("/", "_")


def variable_layout(optimizer, state) -> list[tuple[str, int]]:
    """Keras's optimizer variables as `(name, index into jax.tree_util.tree_leaves(state))`.

    Args:
        optimizer: The kernelkit optimizer owning `state`.
        state: Its `OptimizerState`.

    Returns:
        One `(name, leaf index)` pair per Keras optimizer variable, in Keras's order.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.optimizers import Adam
        >>> state = Adam().init({"00000/dense/kernel": jnp.ones(2)})
        >>> [name for name, _ in variable_layout(Adam(), state)]
        ['iteration', 'learning_rate', 'dense_kernel_momentum', 'dense_kernel_velocity']
    """
    layout = [("iteration", 0)]
    if optimizer._schedule is None:
        layout.append(("learning_rate", 1))
    slots = _slots(state)
    slot_leaves = [jax.tree_util.tree_leaves(s) for s in slots]
    keys = param_keys_of(state)
    n = len(keys) if keys is not None else None
    names = [_reference_name(k) for k in keys] if keys is not None else []
    offset = 2 + sum(len(leaves) for leaves in slot_leaves)
    if state.accumulators is not None:
        accumulators = [(f"{r}_gradient_accumulator", offset + i) for i, r in enumerate(names)]
        offset += len(jax.tree_util.tree_leaves(state.accumulators))
    else:
        accumulators = []
    if state.ema is not None:
        layout += [(f"{r}_average", offset + i) for i, r in enumerate(names)]
    layout += accumulators
    if n is None or any(len(leaves) != n for leaves in slot_leaves):
        start = 2
        for j, leaves in enumerate(slot_leaves):  # not per weight: every leaf in tree order
            layout += [(f"slot_{j}_{i}", start + i) for i in range(len(leaves))]
            start += len(leaves)
        return layout
    real = [j for j, leaves in enumerate(slot_leaves) if not _is_placeholder(leaves, slot_leaves)]
    groups = _SLOT_GROUPS.get(type(optimizer).__name__)
    if groups is None or sum(len(g) for g in groups) != len(slots):
        groups = [[f"slot_{j}" for j in range(len(slots))]]
    j = 0
    for group in groups:
        members = [(j + k, name) for k, name in enumerate(group) if j + k in real]
        j += len(group)
        layout += [(f"{r}_{name}", 2 + s * n + i) for i, r in enumerate(names)
                   for s, name in members]
    return layout


def _is_placeholder(leaves, all_slots) -> bool:
    """A slot of scalar stand-ins (an option such as `amsgrad` is off): no Keras variable."""
    return all(np.shape(x) == () for x in leaves) and any(
        np.shape(x) != () for other in all_slots for x in other)
