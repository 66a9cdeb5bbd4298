"""`predict()`: outputs in batches, returned as NumPy arrays in the model's output structure."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.callbacks import CallbackList
from kernelkit.data.array_data import ArrayData
from kernelkit.training.data_setup import check_batch_size, make_data
from kernelkit.training.runners import predict_pass

__all__ = ["concatenate_outputs", "run_predict"]


def concatenate_outputs(outputs: list):
    """Joins per-batch outputs along the batch axis (one host transfer for all of them)."""
    if not outputs:
        return np.zeros((0,))
    host = jax.device_get(outputs)
    return jax.tree_util.tree_map(lambda *parts: np.concatenate(parts, axis=0), *host)


def run_predict(model, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
    if batch_size is not None:
        check_batch_size(batch_size)
    data = make_data(x, None, None, batch_size=None, steps=steps, what="predict") \
        if not _streams(x) else make_data(x, steps=steps, what="predict")
    batch_size = check_batch_size(batch_size)
    if isinstance(data, ArrayData):
        first = jax.tree_util.tree_map(lambda a: a[:1], data.x)
    else:
        first = data.first_batch()[0]
    if not model.built:
        model(first, training=False)
    fns = model.make_predict_function()
    total = _steps(data, batch_size, steps)
    cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose,
        epochs=1, steps=total)
    model.jax_state_sync()
    carry = fns.partition.carry_of(model)
    cb.on_predict_begin()
    outputs = predict_pass(fns, carry.params, carry.rest, data, batch_size, steps, cb)
    result = concatenate_outputs(outputs)
    cb.on_predict_end()
    return result


def _steps(data, batch_size, steps):
    if isinstance(data, ArrayData):
        full = -(-data.num_samples // batch_size)
        return full if steps is None else min(steps, full)
    return data.steps


def _streams(x) -> bool:
    from kernelkit.data.iterable_data import is_iterable_data

    return is_iterable_data(x)
