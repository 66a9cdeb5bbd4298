"""Running compiled steps over data: the epoch of `fit`, an evaluation pass, a prediction pass.

These are the only places that move between Python and the device during training. Arrays
that fit in memory are put on the device once; each dispatch then names its batches by a start
offset. Logs stay on the device: the caller decides when (and whether) to read them.
"""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.data.array_data import ArrayData
from kernelkit.data.unpack import pack_x_y_sample_weight
from kernelkit.random import draw_seed

__all__ = ["TrainLoop", "fetch_logs", "pass_steps", "permutation", "predict_pass",
           "test_pass"]


def permutation(n: int, shuffle, batch_size: int):
    """The sample order of one epoch as int32 indices on the device.

    The order is drawn on the host (a NumPy generator seeded from kernelkit's global seed, so
    `set_random_seed` makes it repeat) and sent once per epoch; the data itself never leaves the
    device: each step gathers its batch there by these indices. Drawing it with
    `jax.random.permutation` instead costs a second of compilation in every new process.
    """
    if shuffle is True:
        order = np.random.default_rng(draw_seed()).permutation(n)
    elif shuffle == "batch":  # whole batches move; each keeps contiguous samples
        full = n // batch_size
        chunks = np.random.default_rng(draw_seed()).permutation(full)
        order = (chunks[:, None] * batch_size + np.arange(batch_size)[None, :]).reshape(-1)
        order = np.concatenate([order, np.arange(full * batch_size, n)])
    else:
        order = np.arange(n)
    return jax.device_put(order.astype(np.int32))


class TrainLoop:
    """The live training state of one `fit()`: the carry and whether the model has it."""

    def __init__(self, model, fns, carry):
        self.model, self.fns, self.carry = model, fns, carry
        self.dirty = False
        self.order = None  # the current epoch's sample order (array data), for backups

    def sync(self) -> None:
        """Writes the carry into the model's Variables (the model then reads current weights)."""
        if self.dirty:
            self.fns.partition.write_back(self.model, self.carry)
            self.dirty = False

    def get_opt_state(self):
        return self.carry.opt_state

    def set_opt_state(self, state) -> None:
        self.carry.opt_state = state

    def run_arrays(self, device_data, perm, execution, unroll):
        self.carry, logs = self.fns.train_arrays(
            self.carry, device_data, perm, execution.start, steps=execution.steps,
            batch_size=execution.batch_size, unroll=unroll)
        self.dirty = True
        return logs

    def run_batch(self, batch):
        self.carry, logs = self.fns.train_once(self.carry, batch)
        self.dirty = True
        return logs


def fresh_metrics(fns) -> list:
    return fns.partition.fresh_metrics()


def test_pass(fns, params, rest, data, batch_size, steps, group, callbacks=None,
              device_data=None, with_metrics=False):
    """One evaluation pass; returns `(rest, logs)` with logs still on the device.

    With `with_metrics=True` it returns `(rest, metrics, logs)`: `evaluate` writes the final
    metric state back into the model, so `get_metrics_result()` reads it afterwards.
    """
    metrics = fresh_metrics(fns)
    logs, step = {}, 0
    listen = callbacks is not None and callbacks.needs_batch_hooks("test")
    if isinstance(data, ArrayData):
        device_data = device_arrays_of(data) if device_data is None else device_data
        for ex in data.executions(batch_size, steps, group):
            if listen:
                callbacks.on_test_batch_begin(step)
            rest, metrics, logs = fns.test_arrays(params, rest, metrics, device_data, ex.start,
                                                  steps=ex.steps, batch_size=ex.batch_size)
            step += ex.steps
            if listen:
                callbacks.on_test_batch_end(step - 1, logs)
    else:
        for batch in data.epoch():
            if listen:
                callbacks.on_test_batch_begin(step)
            rest, metrics, logs = fns.test_once(params, rest, metrics,
                                                pack_x_y_sample_weight(*batch))
            step += 1
            if listen:
                callbacks.on_test_batch_end(step - 1, logs)
    return (rest, metrics, logs) if with_metrics else (rest, logs)


def device_arrays_of(data: ArrayData):
    return jax.device_put(data.as_tuple())


def predict_pass(fns, params, rest, data, batch_size, steps, callbacks=None):
    """One prediction pass; returns the list of per-batch outputs (device arrays)."""
    outputs, step = [], 0
    listen = callbacks is not None and callbacks.needs_batch_hooks("predict")
    if isinstance(data, ArrayData):
        n = data.num_samples
        total = -(-n // batch_size) if steps is None else min(steps, -(-n // batch_size))
        x = data.x
        for i in range(total):
            if listen:
                callbacks.on_predict_batch_begin(step)
            sl = slice(i * batch_size, min((i + 1) * batch_size, n))
            batch = jax.tree_util.tree_map(lambda a, s=sl: a[s], x)
            out = fns.predict_once(params, rest, (batch,))
            outputs.append(out)
            step += 1
            if listen:
                callbacks.on_predict_batch_end(step - 1, {"outputs": out})
    else:
        for batch in data.epoch():
            if listen:
                callbacks.on_predict_batch_begin(step)
            out = fns.predict_once(params, rest, (batch[0],))
            outputs.append(out)
            step += 1
            if listen:
                callbacks.on_predict_batch_end(step - 1, {"outputs": out})
    return outputs


def fetch_logs(logs) -> dict:
    """Fetches logs to the host (one device sync), scalars as floats, keeping their order."""
    host = jax.device_get(logs)
    return {k: float(host[k]) if np.ndim(host[k]) == 0 else host[k] for k in logs}


def pass_steps(data, batch_size: int, steps):
    """Batches in one pass over `data`: `steps` if given (at most the data), else all of it."""
    if isinstance(data, ArrayData):
        full = -(-data.num_samples // batch_size)
        return full if steps is None else min(steps, full)
    return data.steps
