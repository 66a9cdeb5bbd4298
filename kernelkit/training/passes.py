"""A pass over data, shared by fit, evaluate and predict: from the call's arguments to a
`DataSource`, how many steps one dispatch runs, and `run_pass`.

These are the only places that move between Python and the device during a run. Arrays that
fit in memory are put on the device once; each dispatch then names its batches by a start
offset. Logs stay on the device: the caller decides when (and whether) to read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jax
import numpy as np
from flax import nnx

from kernelkit.data.array_data import ArrayData
from kernelkit.data.iterable_data import IterableData, is_iterable_data
from kernelkit.data.unpack import unpack_x_y_sample_weight
from kernelkit.distribution.placement import check_batch_split
from kernelkit.errors import describe

__all__ = ["PassPlan", "check_batch_size", "check_stateful_batches", "choose_execution",
           "fetch_logs", "has_convolutions", "make_data", "make_validation_data", "run_pass"]


@dataclass(frozen=True)
class PassPlan:
    """How a pass runs: batch size, how many batches (None: all), steps per dispatch.

    Example:
        >>> PassPlan(batch_size=32, steps=None, group=4)
        PassPlan(batch_size=32, steps=None, group=4, unroll=False)
    """

    batch_size: int
    steps: int | None
    group: int
    unroll: bool = False


# ---- from the call's arguments to a data source -------------------------------------------

def check_batch_size(batch_size, default=32, what="batch_size") -> int:
    """`batch_size` checked (a positive integer the mesh's batch axis divides), or `default`.

    Example:
        >>> check_batch_size(None), check_batch_size(16)
        (32, 16)
    """
    if batch_size is None:
        return check_batch_split(default, what)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) \
            or batch_size <= 0:
        raise ValueError(
            f"{what} must be a positive integer. Received: {what}={batch_size!r}. "
            f"Leave it unset for the default ({default})."
        )
    return check_batch_split(int(batch_size), what)  # the mesh's batch axis must divide it


def check_stateful_batches(model, data, batch_size: int, steps=None, what="fit") -> None:
    """Refuses arrays that end in a partial batch when the model has stateful layers.

    A stateful layer keeps its states for one batch size; Keras refuses such data before it
    runs anything, so no state is updated by the batches before the partial one.

    Example:
        >>> check_stateful_batches(None, ArrayData(np.zeros((8, 2))), batch_size=4)  # whole
    """
    if not isinstance(data, ArrayData) or data.num_samples % batch_size == 0:
        return
    if steps is not None and steps * batch_size <= data.num_samples:
        return  # only whole batches are used
    stateful = [node for _, node in nnx.iter_graph(model)
                if node is not model and getattr(node, "stateful", False) is True]
    if not stateful:
        return
    names = ", ".join(f"{type(n).__name__} '{getattr(n, 'name', '?')}'" for n in stateful)
    left = data.num_samples % batch_size
    raise ValueError(
        f"{what}: the model has stateful layers ({names}), which keep their states for one "
        f"batch size, so the number of samples must be a multiple of the batch size. "
        f"Received: {data.num_samples} samples with batch_size={batch_size} ({left} left over "
        f"in a last, partial batch). Drop the last {left} samples, or pick a batch size that "
        f"divides {data.num_samples}."
    )


_IN_MEMORY = (np.ndarray, jax.Array, dict, list, tuple)  # never a source of batches


def make_data(x, y=None, sample_weight=None, *, batch_size=None, steps=None, shuffle=False,
              what="fit", seed=None):
    """`ArrayData` for in-memory arrays, `IterableData` for sources that yield batches.

    Args:
        x, y, sample_weight: The call's data arguments.
        batch_size: The call's `batch_size`: refused for sources that yield their own batches,
            unused here for arrays (the pass plan carries it).
        steps: Batches per pass (`steps_per_epoch`, `steps`), or None.
        shuffle: For streamed data: whether a `PyDataset` is read in a shuffled order.
        what: The calling method, for error messages.
        seed: The shuffle seed of streamed data.

    Returns:
        The `DataSource`.

    Example:
        >>> type(make_data(np.zeros((4, 2)), np.zeros(4))).__name__
        'ArrayData'
    """
    if not isinstance(x, _IN_MEMORY) and is_iterable_data(x):
        if y is not None:
            raise ValueError(
                f"{what}: `y` must not be given when `x` is a generator, iterator, PyDataset or "
                "other source of batches: the targets come from the batches themselves. "
                f"Received: y={describe(y)}. Yield (x, y) batches instead."
            )
        if sample_weight is not None:
            raise ValueError(
                f"{what}: `sample_weight` must not be given when `x` yields batches. Yield "
                "(x, y, sample_weight) batches instead. Received: sample_weight="
                f"{describe(sample_weight)}."
            )
        if batch_size is not None:
            raise ValueError(
                f"{what}: `batch_size` must not be given when `x` yields its own batches. "
                f"Received: batch_size={batch_size!r}."
            )
        return IterableData(x, steps=steps, shuffle=shuffle is True, seed=seed)
    if x is None:
        raise ValueError(f"{what}: no input data. Expected `x`. Received: x=None.")
    return ArrayData(x, y, sample_weight)


def make_validation_data(validation_data, batch_size, steps):
    """`validation_data` as a tuple `(x, y[, w])` of arrays or any source of batches.

    Example:
        >>> type(make_validation_data((np.zeros((4, 2)), np.zeros(4)), 32, None)).__name__
        'ArrayData'
    """
    if validation_data is None:
        return None
    if is_iterable_data(validation_data):
        return IterableData(validation_data, steps=steps)
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        x, y, w = unpack_x_y_sample_weight(tuple(validation_data))
        return ArrayData(x, y, w)
    raise ValueError(
        "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, val_sample_weight), "
        "a generator, a PyDataset or an iterable of batches. Received: "
        f"validation_data={describe(validation_data)}."
    )


# ---- steps per dispatch -------------------------------------------------------------------

_AUTO_GROUP = 128
_CPU_CONV_GROUP = 2  # "auto": measured best first epoch, and within 5 % of 4 steady
_UNROLL_LIMIT = 8  # explicit groups up to this size are unrolled for convolutions on CPU


def has_convolutions(model) -> bool:
    """Whether the model holds a convolution (slow inside `lax.scan` on XLA:CPU).

    Example:
        >>> import kernelkit as kk
        >>> has_convolutions(kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(2)]))
        False
    """
    return any("Conv" in type(node).__name__ for _, node in nnx.iter_graph(model)
               if isinstance(node, nnx.Module))


def choose_execution(model, setting, steps_per_epoch, batch_hooks: bool) -> tuple[int, bool]:
    """Returns `(steps per dispatch, unroll)`.

    An integer setting is honoured (cut to the epoch); without jit (`run_eagerly=True` or
    `jit_compile=False`) its steps run as a Python loop. `"auto"` runs one step per dispatch
    when the model runs eagerly or a callback listens to batch hooks (they then fire at every
    batch, as documented), a short unrolled group for convolutional models on CPU
    (convolutions inside a scan are several times slower there), and a scanned group of 128
    steps otherwise.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(2)])
        >>> choose_execution(model, "auto", 10, batch_hooks=False)
        (10, False)
        >>> choose_execution(model, "auto", 10, batch_hooks=True)  # a callback wants each batch
        (1, True)
    """
    limit = steps_per_epoch if steps_per_epoch else None
    eager = bool(getattr(model, "run_eagerly", False)) or getattr(
        model, "jit_compile", "auto") is False
    if setting != "auto":
        group = max(1, int(setting))
        if limit:
            group = min(group, limit)
        return group, eager or _prefer_unroll(model, group)
    if batch_hooks or eager:  # eager: a scan would trace the step once, not run it per batch
        return 1, True
    if jax.default_backend() == "cpu" and has_convolutions(model):
        # unrolled groups compile once per size: pick a size that divides the epoch
        group = _CPU_CONV_GROUP if not limit else max(
            k for k in range(1, _CPU_CONV_GROUP + 1) if limit % k == 0 or k == 1)
        return group, True
    group = min(_AUTO_GROUP, limit) if limit else _AUTO_GROUP
    return group, False


def _prefer_unroll(model, group: int) -> bool:
    return group <= _UNROLL_LIMIT and jax.default_backend() == "cpu" and has_convolutions(model)


# ---- the pass -----------------------------------------------------------------------------

def run_pass(kind: str, source, plan: PassPlan, run_one: Callable, callbacks=None, stop=None,
             first_step: int = 0):
    """Runs `run_one(dispatch)` for each dispatch of one pass; returns the last result.

    Args:
        kind: `"train"`, `"test"` or `"predict"`: which batch hooks fire.
        source: The `DataSource`.
        plan: The `PassPlan`.
        run_one: Runs one dispatch and returns its logs (for prediction: its outputs).
        callbacks: The `CallbackList`; its batch hooks fire when a callback listens.
        stop: A `StopSignal` checked after each dispatch (training), or None.
        first_step: Batches of the pass already done (a resumed epoch).

    Returns:
        The logs of the last dispatch (`{}` when none ran).

    Example:
        >>> import numpy as np
        >>> from kernelkit.data.array_data import ArrayData
        >>> source = ArrayData(np.zeros((10, 3)))
        >>> run_pass("predict", source, PassPlan(4, None, 1), lambda d: d.batch_size)
        2
    """
    listen = callbacks is not None and callbacks.needs_batch_hooks(kind)
    begin = getattr(callbacks, f"on_{kind}_batch_begin", None)
    end = getattr(callbacks, f"on_{kind}_batch_end", None)
    logs, step = {}, first_step
    for dispatch in source.dispatches(plan.batch_size, plan.steps, plan.group, first_step):
        if listen:
            begin(step)
        logs = run_one(dispatch)
        step += dispatch.steps
        if listen:
            end(step - 1, {"outputs": logs} if kind == "predict" else logs)
        if stop is not None and stop.is_set():
            break
    return logs


def fetch_logs(logs) -> dict:
    """Fetches logs to the host (one device sync), scalars as floats, keeping their order.

    Example:
        >>> import jax.numpy as jnp
        >>> fetch_logs({"loss": jnp.float32(0.5)})
        {'loss': 0.5}
    """
    host = jax.device_get(logs)
    return {k: float(host[k]) if np.ndim(host[k]) == 0 else host[k] for k in logs}
