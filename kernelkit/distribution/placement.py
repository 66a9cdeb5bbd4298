"""Where kernelkit's own arrays go under the current distribution (weights, data, batches).

The layers, the data adapters and the training loop call these; each is the identity (or
the default placement) when no distribution is set, so one device works as before.

The training loop keeps array data on the devices for a whole `fit()` and gathers each
batch there by indices. Under a distribution the arrays are therefore replicated on the
mesh (a gather by random indices from batch-sharded arrays would move the data between
devices at every step), and each gathered batch is constrained to the batch axis inside the
jitted step, so each device computes on its own slice of every batch.
"""

from __future__ import annotations

import re

import jax
import numpy as np
from flax import nnx

from kernelkit.distribution.distributions import distribution
from kernelkit.distribution.host_data import local_batch_devices, spans_processes
from kernelkit.errors import describe

__all__ = ["check_batch_split", "check_layout_map", "constrain_carry", "constrain_step_state",
           "distribute_variable_value", "place_optimizer_state", "place_replicated",
           "shard_batch"]

_CARRY_KEY = re.compile(r"\d{5}/(.+)")  # the carry keys weights "<index>/<path>"


def _canonical(sharding):
    """The sharding without trailing None axes (`P(None,)` is `P()`): the form XLA returns
    from a step, so a variable placed in it compiles the step once, not twice."""
    spec = list(sharding.spec)
    while spec and spec[-1] is None:
        spec.pop()
    return jax.sharding.NamedSharding(sharding.mesh, jax.sharding.PartitionSpec(*spec))


class _Spec:
    """What a layout needs of a variable: its path and shape."""

    def __init__(self, path, shape):
        self.path, self.shape = path, tuple(shape)


def _check_layout(path, value, sharding, axes) -> None:
    if len(axes) != value.ndim:
        raise ValueError(
            f"Distribution: the layout of variable '{path}' has rank {len(axes)}, but the "
            f"variable has rank {value.ndim}. Expected one layout entry per axis. Received: "
            f"layout axes={tuple(axes)} for variable={describe(value)}. Fix the LayoutMap key "
            "that matches this path."
        )
    mesh = sharding.mesh
    for dim, axis in zip(value.shape, axes):
        names = axis if isinstance(axis, tuple) else (axis,)
        size = int(np.prod([mesh.shape[n] for n in names if n is not None]))
        if dim % size:
            raise ValueError(
                f"Distribution: variable '{path}' cannot be split as its layout says: an axis "
                f"of length {dim} over {size} devices ({axis!r}). Expected lengths divisible "
                f"by the mesh axis size. Received: layout axes={tuple(axes)} for "
                f"variable={describe(value)}. Change the layout or the mesh."
            )


def distribute_variable_value(value, path: str):
    """`value` placed as the current distribution lays out the variable at `path`.

    Args:
        value: The variable's initial value (a concrete array).
        path: The variable's Keras path, e.g. `"dense/kernel"`.

    Returns:
        The value on the mesh (replicated, or split as the `LayoutMap` says); `value`
        itself without a distribution or inside a trace.

    Example:
        >>> import jax.numpy as jnp
        >>> distribute_variable_value(jnp.ones(2), "dense/bias").shape
        (2,)
    """
    current = distribution()
    if current is None or isinstance(value, jax.core.Tracer):
        return value
    layout = current.get_variable_layout(_Spec(path, np.shape(value)))
    sharding = layout.backend_layout
    _check_layout(path, value, sharding, layout.axes)
    return jax.device_put(value, _canonical(sharding))


def check_layout_map(paths) -> None:
    """Refuses LayoutMap keys that match none of a model's variable paths.

    Args:
        paths: Every variable path of the model, or a function returning them (called only
            when a map is set, so a run without one never lists the weights).

    Raises:
        ValueError: If a key of the current `ModelParallel`'s map matches no path.

    Example:
        >>> check_layout_map(["dense/kernel"])  # no distribution: nothing to check
    """
    layout_map = getattr(distribution(), "layout_map", None)
    if layout_map is None:
        return
    paths = list(paths() if callable(paths) else paths)
    if not paths:
        return  # not built yet: nothing to match
    for key in layout_map:
        if not any(key in layout_map.matching_keys(p) for p in paths):
            raise ValueError(
                f"ModelParallel: the LayoutMap key {key!r} matches no variable of the model. "
                f"Expected a pattern that fully matches a variable path, such as {paths[:3]}. "
                f"Received: key={key!r}. Fix the key (print [v.path for v in "
                "model.weights]) or delete it."
            )


def _batch_axis():
    current = distribution()
    if current is None or current.batch_dim_name is None:
        return None, 1
    return current, current.device_mesh.axis_size(current.batch_dim_name)


def check_batch_split(batch_size: int, what: str = "batch_size") -> int:
    """Refuses a batch size that the mesh's batch axis does not divide.

    In a multi-process run the batch size is per process (each feeds its share of every
    global batch), so it must be divisible by the devices this process has on that axis.

    Args:
        batch_size: The batch size (per process in a multi-process run).
        what: The argument's name, for the message.

    Returns:
        `batch_size`.

    Raises:
        ValueError: If a distribution is set and its batch axis does not divide it.

    Example:
        >>> check_batch_split(3)  # no distribution: any size
        3
    """
    current, size = _batch_axis()
    where = "the"
    if current is not None and spans_processes(current):
        size, where = local_batch_devices(current), "this process's"
    if current is not None and batch_size % size:
        raise ValueError(
            f"{type(current).__name__}: {what}={batch_size} cannot be split across "
            f"{where} {size} devices of the mesh's batch axis {current.batch_dim_name!r}. "
            f"Expected a batch size divisible by {size}. Received: {what}={batch_size}. Use "
            f"e.g. {what}={max(size, batch_size - batch_size % size)}."
        )
    return batch_size


def place_replicated(tree):
    """`tree`'s arrays on the device: replicated on the mesh under a distribution.

    Args:
        tree: A pytree of arrays.

    Returns:
        The tree of device arrays.

    Example:
        >>> import numpy as np
        >>> place_replicated({"x": np.ones(2)})["x"].shape
        (2,)
    """
    current = distribution()
    if current is None:
        return jax.device_put(tree)
    sharding = jax.sharding.NamedSharding(current.device_mesh.backend_mesh,
                                          jax.sharding.PartitionSpec())
    return jax.device_put(tree, sharding)


def _constrain(a, current, size):
    if not hasattr(a, "ndim") or a.ndim == 0 or a.shape[0] % size:
        return a  # the last partial batch of a pass runs whole on each device
    spec = jax.sharding.PartitionSpec(current.batch_dim_name, *([None] * (a.ndim - 1)))
    sharding = jax.sharding.NamedSharding(current.device_mesh.backend_mesh, spec)
    if isinstance(a, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(a, sharding)
    return jax.device_put(a, sharding)


def shard_batch(batch):
    """A batch split along the mesh's batch axis (in a jitted step: a sharding constraint).

    Arrays whose first axis the batch axis does not divide (the last, partial batch of a
    pass) are left whole.

    Args:
        batch: A pytree of arrays with the batch as first axis.

    Returns:
        The same tree, laid out along the batch axis; `batch` itself without a distribution.

    Example:
        >>> import numpy as np
        >>> shard_batch((np.ones((4, 2)),))[0].shape
        (4, 2)
    """
    current, size = _batch_axis()
    if current is None:
        return batch
    return jax.tree_util.tree_map(lambda a: _constrain(a, current, size), batch)


def _variable_sharding(current, path, value):
    """The sharding of a variable at `path`; replicated when its layout does not fit."""
    layout = current.get_variable_layout(_Spec(path, value.shape))
    sharding = layout.backend_layout
    try:
        _check_layout(path, value, sharding, layout.axes)
    except ValueError:  # e.g. an optimizer slot of another shape (factored second moments)
        return _replicated_sharding(current)
    return _canonical(sharding)


def _replicated_sharding(current):
    return jax.sharding.NamedSharding(current.device_mesh.backend_mesh,
                                      jax.sharding.PartitionSpec())


def _constrain_leaf(current, path, value):
    if not isinstance(value, jax.core.Tracer):
        return value
    return jax.lax.with_sharding_constraint(value, _variable_sharding(current, path, value)
                                            if path else _replicated_sharding(current))


def _carry_path(key_path):
    for entry in key_path:
        match = _CARRY_KEY.fullmatch(str(getattr(entry, "key", "")))
        if match:
            return match.group(1)
    return None


def constrain_step_state(module, opt_state):
    """Keeps a training step's new state on its layouts (inside the jitted step).

    Without this, XLA may give the step's outputs other shardings than its inputs had (a
    replicated kernel coming back split), which would change the variables' `.sharding`
    and compile the step again. Every variable of `module` gets its layout by path; each
    optimizer slot keyed by a weight follows that weight's layout; the rest is replicated.

    Args:
        module: The model copy of the step (an `nnx.Module` holding traced values).
        opt_state: The new optax state (a pytree), or None.

    Returns:
        The constrained optax state (the module's variables are constrained in place);
        `opt_state` itself without a distribution.

    Example:
        >>> constrain_step_state(None, {"count": 0})
        {'count': 0}
    """
    current = distribution()
    if current is None:
        return opt_state
    for _, node in nnx.iter_graph(module):
        if isinstance(node, nnx.Variable):
            value = node.get_value()
            if isinstance(value, jax.core.Tracer) and hasattr(value, "shape"):
                path = node.get_metadata().get("path")
                node.set_value(_constrain_leaf(current, path, value))
    return jax.tree_util.tree_map_with_path(
        lambda kp, leaf: _constrain_leaf(current, _carry_path(kp), leaf), opt_state)


def constrain_carry(carry):
    """Keeps the weights of a training carry, and their optimizer slots, on their layouts.

    Used around a fused loop of steps, whose loop-carried values XLA may otherwise lay out
    its own way. Leaves keyed `"<index>/<path>"` (weights, and slots keyed like them) get
    their variable's layout; other leaves are left to XLA.

    Args:
        carry: A pytree (the training carry), inside a jitted function.

    Returns:
        The constrained tree; `carry` itself without a distribution.

    Example:
        >>> constrain_carry({"00000/dense/bias": 1.0})
        {'00000/dense/bias': 1.0}
    """
    current = distribution()
    if current is None:
        return carry

    def one(key_path, leaf):
        path = _carry_path(key_path)
        if path is None or not isinstance(leaf, jax.core.Tracer):
            return leaf
        return _constrain_leaf(current, path, leaf)

    return jax.tree_util.tree_map_with_path(one, carry)


def place_optimizer_state(opt_state):
    """A fresh optimizer state placed as the training step returns it (made eagerly).

    Slots keyed by a weight take its layout, everything else (step counts, learning
    rates) is replicated on the mesh, so the first step compiles for the placement the
    later steps see.

    Args:
        opt_state: An optax state.

    Returns:
        The placed state; `opt_state` itself without a distribution.

    Example:
        >>> place_optimizer_state({"count": 0})
        {'count': 0}
    """
    current = distribution()
    if current is None:
        return opt_state

    def one(key_path, leaf):
        if not hasattr(leaf, "shape"):
            return leaf
        path = _carry_path(key_path)
        sharding = (_variable_sharding(current, path, leaf) if path
                    else _replicated_sharding(current))
        return jax.device_put(leaf, sharding)

    return jax.tree_util.tree_map_with_path(one, opt_state)
