"""Per-process data in a multi-process run: each process feeds its share of every global batch.

Keras 3 semantics: when the distribution's mesh spans several processes, every batch a
process feeds is its local share, and the global batch is assembled from all of them with
`jax.make_array_from_process_local_data` on the distribution's data layout. For arrays,
`batch_size` is therefore per process (the global batch is `batch_size` times the number of
data shards). In-memory arrays are fed like streamed data: each process slices (and shuffles)
its own arrays on the host, stacks the `k` batches of one dispatch, and the stack becomes one
global array, so `steps_per_execution` still runs `k` steps per dispatch.

Outside such a run (one process, however many devices) every function here is the identity
and `host_source` returns its argument, so nothing changes there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jax
import numpy as np

from kernelkit.distribution.distributions import distribution

__all__ = ["GlobalDispatch", "HostArrays", "StackedBatches", "check_local_batch",
           "host_source", "local_batch_devices", "spans_processes", "to_global_batch",
           "to_local_outputs"]


@functools.lru_cache(maxsize=32)
def _mesh_processes(mesh: jax.sharding.Mesh) -> int:
    return len({d.process_index for d in mesh.devices.flat})


def spans_processes(current=None) -> bool:
    """Whether the distribution's mesh holds devices of several processes.

    Args:
        current: A `Distribution`; defaults to the current one.

    Returns:
        True in a multi-process run whose mesh spans processes; False without a
        distribution, in one process, or for a mesh of this process's devices only.

    Example:
        >>> spans_processes()
        False
    """
    current = distribution() if current is None else current
    if current is None or jax.process_count() == 1:
        return False
    return _mesh_processes(current.device_mesh.backend_mesh) > 1


def local_batch_devices(current) -> int:
    """How many parts this process's devices hold along the mesh's batch axis: a batch
    this process feeds is split into this many pieces, one per part.

    Args:
        current: A `Distribution` with a batch axis.

    Returns:
        The number of distinct batch-axis positions of this process's devices.

    Example:
        >>> from kernelkit.distribution import DataParallel
        >>> local_batch_devices(DataParallel(devices=["cpu:0"]))
        1
    """
    mesh = current.device_mesh.backend_mesh
    axis = mesh.axis_names.index(current.batch_dim_name)
    here = jax.process_index()
    positions = {index[axis] for index, d in np.ndenumerate(mesh.devices)
                 if d.process_index == here}
    return len(positions)


def check_local_batch(size: int, what: str = "batch") -> None:
    """Refuses a per-process batch that this process's devices cannot split evenly.

    Args:
        size: The number of samples this process feeds in one batch.
        what: What the batch is, for the message.

    Raises:
        ValueError: In a multi-process run, if `size` is not a multiple of
            `local_batch_devices`.

    Example:
        >>> check_local_batch(3)  # one process: any size
    """
    current = distribution()
    if not spans_processes(current) or current.batch_dim_name is None:
        return
    parts = local_batch_devices(current)
    if size % parts:
        raise ValueError(
            f"{type(current).__name__}: the {what} of {size} samples this process feeds "
            f"cannot be split across its {parts} devices on the mesh's batch axis "
            f"{current.batch_dim_name!r} (in a multi-process run each process feeds its own "
            f"share of every global batch). Expected a multiple of {parts}. Received: "
            f"{size} samples on process {jax.process_index()}. Give each process a number "
            f"of samples per batch divisible by {parts} (e.g. a batch_size and a sample "
            "count that are multiples of it)."
        )


def _data_sharding(current, ndim: int, stacked: bool):
    axes = [None] * ndim
    axes[1 if stacked else 0] = current.batch_dim_name
    return jax.sharding.NamedSharding(current.device_mesh.backend_mesh,
                                      jax.sharding.PartitionSpec(*axes))


def to_global_batch(tree, stacked: bool = False):
    """A process's share of a batch joined with the other processes' into global arrays.

    Args:
        tree: A pytree of this process's arrays, the batch on the first axis (with
            `stacked`: on the second, after the axis of the dispatch's steps).
        stacked: Whether the leaves are `(steps, batch, ...)` stacks of batches.

    Returns:
        The global arrays, laid out along the mesh's batch axis; `tree` itself outside a
        multi-process run.

    Example:
        >>> import numpy as np
        >>> to_global_batch((np.ones((4, 2)),))[0].shape
        (4, 2)
    """
    current = distribution()
    if not spans_processes(current):
        return tree
    leaves = [leaf for leaf in jax.tree_util.tree_leaves(tree) if np.ndim(leaf)]
    if leaves:
        check_local_batch(int(np.shape(leaves[0])[1 if stacked else 0]))

    def one(leaf):
        if not np.ndim(leaf):
            return leaf
        return jax.make_array_from_process_local_data(
            _data_sharding(current, np.ndim(leaf), stacked), np.asarray(leaf))

    return jax.tree_util.tree_map(one, tree)


def _identity(a):
    return a


def to_local_outputs(tree):
    """This process's rows of global outputs (the rows of the samples it fed), on the host.

    Args:
        tree: A pytree of global arrays with the batch on the first axis.

    Returns:
        NumPy arrays; `tree` itself outside a multi-process run.

    Example:
        >>> import jax.numpy as jnp
        >>> to_local_outputs(jnp.ones(2)).shape
        (2,)
    """
    current = distribution()
    if not spans_processes(current):
        return tree

    def one(leaf):
        if not isinstance(leaf, jax.Array) or leaf.ndim == 0:
            return np.asarray(leaf)
        sharding = _data_sharding(current, leaf.ndim, stacked=False)
        if not leaf.sharding.is_equivalent_to(sharding, leaf.ndim):
            leaf = jax.jit(_identity, out_shardings=sharding)(leaf)
        rows = {}
        for shard in leaf.addressable_shards:  # in the order of the rows, as fed
            rows.setdefault(shard.index[0].start or 0, shard.data)
        return np.concatenate([np.asarray(rows[k]) for k in sorted(rows)], axis=0)

    return jax.tree_util.tree_map(one, tree)


@jax.tree_util.register_pytree_node_class
class StackedBatches:
    """The global batches of one dispatch, stacked: leaves of shape `(steps, batch, ...)`.

    A pytree, so it passes through `jax.jit`; the step functions take batch `i` with `at`.

    Args:
        batch: `(x, y, sample_weight)`, each a pytree of stacked arrays (or None).

    Example:
        >>> import numpy as np
        >>> x, y, sw = StackedBatches((np.ones((3, 4, 2)), None, None)).at(1)
        >>> x.shape, y
        ((4, 2), None)
    """

    def __init__(self, batch):
        self.batch = batch

    def tree_flatten(self):
        return (self.batch,), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(children[0])

    def at(self, i):
        """Batch `i` as `(x, y, sample_weight)`."""
        return jax.tree_util.tree_map(
            lambda a: jax.lax.dynamic_index_in_dim(a, i, axis=0, keepdims=False), self.batch)


@dataclass(frozen=True)
class GlobalDispatch:
    """One dispatch of a multi-process run's array data: `steps` global batches.

    Attributes:
        batches: The `StackedBatches` (stacked up to the pass's group size, so every full
            dispatch has one shape; only the first `steps` are used).
        steps: How many batches to run.
        batch_size: The global batch size.
        start: Always 0 (the batches are in `batches`, not at an offset in the arrays).

    Example:
        >>> import numpy as np
        >>> GlobalDispatch(StackedBatches((np.ones((2, 4, 3)), None, None)), 2, 4).steps
        2
    """

    batches: StackedBatches
    steps: int
    batch_size: int
    start: int = 0


def _batch_sizes(n: int, batch_size: int, steps: int | None) -> list[int]:
    """The batch sizes of one pass over `n` samples, as `ArrayData.executions` plans it."""
    total = -(-n // batch_size) if steps is None else steps
    sizes = []
    for step in range(total):
        start = (step * batch_size) % n if steps is not None else step * batch_size
        sizes.append(min(batch_size, n - start))
    return sizes


class HostArrays:
    """A process's in-memory arrays as a `DataSource` of a multi-process run.

    It keeps the `ArrayData` it wraps for everything but the pass itself: each dispatch is
    sliced from this process's arrays on the host (in this process's own epoch order),
    stacked, and assembled into global arrays. Before the first dispatch the processes
    compare their sample counts (one small cross-process gather): they must take the same
    number of batches of the same sizes.

    Args:
        data: An `ArrayData` (this process's arrays).
        what: The caller, for messages (`"fit"`, `"evaluate"`, ...).

    Example:
        >>> import numpy as np
        >>> from kernelkit.data.array_data import ArrayData
        >>> source = HostArrays(ArrayData(np.zeros((10, 3)), np.zeros(10)))
        >>> [(d.steps, d.batch_size) for d in source.dispatches(4, None, group=2)]
        [(2, 4), (1, 2)]
    """

    exhausted = False  # arrays never run out

    def __init__(self, data, what: str = "fit"):
        self.data, self.what = data, what
        self._order = None  # this epoch's sample order (fit), on the host
        self._counts = None  # every process's sample count, gathered once
        self._host = None  # (x, y, sample_weight) as NumPy arrays
        self._full = None  # the pass's batch size
        self._agreed = set()  # the (batch_size, steps) plans all processes share

    @property
    def num_samples(self) -> int:
        """This process's number of samples."""
        return self.data.num_samples

    @property
    def host_targets(self):
        return self.data.host_targets

    def first_batch(self, batch_size: int):
        return self.data.first_batch(batch_size)

    def apply_class_weight(self, class_weight, num_classes=None) -> None:
        self.data.apply_class_weight(class_weight, num_classes)
        self._host = None

    def split(self, validation_split: float):
        """Each process splits its own arrays (the validation part from their end)."""
        train, val = self.data.split(validation_split)
        return HostArrays(train, self.what), HostArrays(val, f"{self.what} (validation data)")

    def epoch_order(self, shuffle, batch_size: int):
        order = self.data.epoch_order(shuffle, batch_size)
        self._order = np.asarray(order)
        return order

    def resumable_order(self, order):
        order = self.data.resumable_order(order)
        self._order = None if order is None else np.asarray(order)
        return order

    def pass_steps(self, batch_size: int, steps: int | None, wrap: bool = False) -> int:
        self._agree(batch_size, steps)
        return self.data.pass_steps(batch_size, steps, wrap)

    def dispatches(self, batch_size: int, steps: int | None, group: int, first_step: int = 0):
        self._agree(batch_size, steps)
        if self._host is None:
            self._host = jax.tree_util.tree_map(np.asarray, self.data.as_tuple())
        order = self._order if self._order is not None else np.arange(self.num_samples)
        for execution in self.data.executions(batch_size, steps, group, first_step):
            yield self._dispatch(order, execution, group)

    def _dispatch(self, order, execution, group) -> GlobalDispatch:
        k, size = execution.steps, execution.batch_size
        idx = order[execution.start:execution.start + k * size].reshape(k, size)
        if size == self._full and k < group:  # pad to the group: one program per pass
            idx = np.concatenate([idx, np.repeat(idx[:1], group - k, axis=0)])
        local = jax.tree_util.tree_map(lambda a: a[idx], self._host)  # (k, size, ...)
        batches = to_global_batch(local, stacked=True)
        leaf = jax.tree_util.tree_leaves(batches)[0]
        return GlobalDispatch(StackedBatches(batches), k, int(leaf.shape[1]))

    def _agree(self, batch_size: int, steps: int | None) -> None:
        """Every process plans the same batches, or none runs (before any collective)."""
        self._full = batch_size
        if (batch_size, steps) in self._agreed:
            return
        if self._counts is None:
            from jax.experimental import multihost_utils

            gathered = multihost_utils.process_allgather(np.int64(self.num_samples))
            self._counts = [int(c) for c in np.reshape(gathered, (-1,))]
        by_count = {n: _batch_sizes(n, batch_size, steps) for n in set(self._counts)}
        plans = [by_count[n] for n in self._counts]
        here = jax.process_index()
        for other, plan in enumerate(plans):
            if len(plan) != len(plans[here]):
                self._raise_steps(here, other, plans, batch_size)
        for other, plan in enumerate(plans):
            if plan != plans[here]:
                step = next(i for i, (a, b) in enumerate(zip(plans[here], plan)) if a != b)
                raise ValueError(
                    f"{self.what}: the processes would feed batches of different sizes: "
                    f"batch {step} of a pass has {plans[here][step]} samples on process "
                    f"{here} but {plan[step]} on process {other}, with batch_size="
                    f"{batch_size} per process. Expected batches of one size on every "
                    "process: each global batch joins one batch of every process. Received: "
                    f"local sample counts {self._counts}. Give each process the same number "
                    "of samples (distribution.distribute_dataset splits whole arrays evenly), "
                    "or a batch_size that divides every process's count."
                )
        for size in sorted(set(plans[here])):  # a last, partial batch too
            check_local_batch(size, f"{self.what} batch")
        self._agreed.add((batch_size, steps))

    def _raise_steps(self, here, other, plans, batch_size):
        fewest = min(len(p) for p in plans)
        fix = "steps_per_epoch" if self.what == "fit" else "steps"
        raise ValueError(
            f"{self.what}: the processes would take different numbers of steps per pass: "
            f"process {here} has {len(plans[here])} batches ({self._counts[here]} samples) "
            f"but process {other} has {len(plans[other])} ({self._counts[other]} samples), "
            f"with batch_size={batch_size} per process. Expected the same number of steps on "
            "every process: each global batch joins one batch of every process. Received: "
            f"local sample counts {self._counts}. Give each process the same number of "
            f"samples (distribution.distribute_dataset splits whole arrays evenly), or pass "
            f"{fix}={fewest}."
        )


def host_source(source, what: str = "fit"):
    """`source` as the pass should read it: in a multi-process run, in-memory arrays become
    a `HostArrays` (this process's share); anything else is returned unchanged.

    Args:
        source: A data source (`ArrayData`, `IterableData`), or None.
        what: The caller, for messages.

    Returns:
        The source to run the pass over.

    Example:
        >>> host_source(None) is None
        True
    """
    if source is None or isinstance(source, HostArrays) or not spans_processes():
        return source
    if not hasattr(source, "executions"):  # streamed batches: joined one by one
        return source
    return HostArrays(source, what)
