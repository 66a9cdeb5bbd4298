"""`run_pass`: one pass of compiled steps over a `DataSource`, shared by fit, evaluate, predict.

These are the only places that move between Python and the device during a run. Arrays that
fit in memory are put on the device once; each dispatch then names its batches by a start
offset. Logs stay on the device: the caller decides when (and whether) to read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jax
import numpy as np

__all__ = ["PassPlan", "fetch_logs", "run_pass"]


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
