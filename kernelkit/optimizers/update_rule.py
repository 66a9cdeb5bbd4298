"""`UpdateRule`: one optimizer's per-step update, as a pure `(init, update)` pair."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax

__all__ = ["UpdateRule", "leafwise_rule"]


class UpdateRule(NamedTuple):
    """The algorithm of one optimizer, without clipping, weight decay, EMA or accumulation.

    Attributes:
        init: `init(params) -> slots`, the optimizer's own variables (momentums, ...).
        update: `update(grads, slots, params, learning_rate, step) -> (updates, slots)`, where
            `step` is Keras's `optimizer.iterations` before this update (an int32 scalar,
            0 on the first update) and `updates` are added to `params`.
    """

    init: Callable[[Any], Any]
    update: Callable[..., tuple[Any, Any]]


def leafwise_rule(slot_inits: tuple[Callable, ...], update_leaf: Callable) -> UpdateRule:
    """Builds an `UpdateRule` from a rule applied to each parameter independently.

    Args:
        slot_inits: One function per slot, `param -> initial slot value`.
        update_leaf: `update_leaf(grad, param, learning_rate, local_step, *slots)` returning
            `(update, new_slots_tuple)`; `local_step` is `step + 1` as a float.

    Returns:
        An `UpdateRule` whose slots are a tuple of trees shaped like the params.

    Example:
        >>> import jax.numpy as jnp
        >>> sgd = leafwise_rule((), lambda g, p, lr, t: (-lr * g, ()))
        >>> updates, _ = sgd.update([jnp.ones(2)], sgd.init([jnp.ones(2)]), [jnp.ones(2)],
        ...                         0.1, jnp.int32(0))
        >>> updates[0].tolist()
        [-0.10000000149011612, -0.10000000149011612]
    """

    def init(params):
        return tuple(jax.tree.map(make, params) for make in slot_inits)

    def update(grads, slots, params, learning_rate, step):
        treedef = jax.tree.structure(params)
        param_leaves = treedef.flatten_up_to(params)
        grad_leaves = treedef.flatten_up_to(grads)
        slot_leaves = [treedef.flatten_up_to(s) for s in slots]
        local_step = step + 1
        outs = []
        for i, (g, p) in enumerate(zip(grad_leaves, param_leaves)):
            lr = jax.numpy.asarray(learning_rate, p.dtype)
            t = jax.numpy.asarray(local_step, p.dtype)
            outs.append(update_leaf(g.astype(p.dtype), p, lr, t, *(s[i] for s in slot_leaves)))
        updates = treedef.unflatten([o[0] for o in outs])
        new_slots = tuple(treedef.unflatten([o[1][k] for o in outs]) for k in range(len(slots)))
        return updates, new_slots

    return UpdateRule(init, update)
