"""`predict()`: outputs in batches, returned as NumPy arrays in the model's output structure."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.callbacks import CallbackList
from kernelkit.data.array_data import ArrayData
from kernelkit.data.iterable_data import is_iterable_data
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.data_setup import check_batch_size, check_stateful_batches, make_data
from kernelkit.training.passes import pass_steps, predict_pass

__all__ = ["concatenate_outputs", "run_predict"]


def concatenate_outputs(outputs: list):
    """Joins per-batch outputs along the batch axis (one host transfer for all of them)."""
    if not outputs:
        return np.zeros((0,))
    host = jax.device_get(outputs)
    return jax.tree_util.tree_map(lambda *parts: np.concatenate(parts, axis=0), *host)


def _one_batch_fast(model, x, batch_size, verbose, steps, callbacks):
    """`predict` of a single batch with no callbacks: the cached forward, without a loop.

    Keras's own advice is to call the model for small inputs; here `predict` does that for
    you. A one-step progress bar is noise, so `verbose="auto"` shows none for one batch.
    """
    from kernelkit.training.trainer import Trainer

    if callbacks is not None or verbose not in (0, "auto") or steps is not None:
        return None
    if type(model).predict_step is not Trainer.predict_step or is_iterable_data(x):
        return None
    leaves = jax.tree_util.tree_leaves(x)
    if not leaves or any(np.ndim(a) == 0 for a in leaves):
        return None
    if any(np.shape(a)[0] > batch_size for a in leaves):
        return None
    out = model._cached_forward(x) if hasattr(model, "_cached_forward") else None
    if out is None:
        return None
    return jax.tree_util.tree_map(np.asarray, out)


def run_predict(model, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
    if batch_size is not None:
        check_batch_size(batch_size)
    fast = _one_batch_fast(model, x, check_batch_size(batch_size), verbose, steps, callbacks)
    if fast is not None:
        return fast
    x = host_stage_data(model, x)  # leading string layers run on the host, once
    data = make_data(x, None, None, batch_size=None, steps=steps, what="predict") \
        if not is_iterable_data(x) else make_data(x, steps=steps, what="predict")
    batch_size = check_batch_size(batch_size)
    check_stateful_batches(model, data, batch_size, steps, what="predict")
    if isinstance(data, ArrayData):
        first = jax.tree_util.tree_map(lambda a: a[:1], data.x)
    else:
        first = data.first_batch()[0]
    if not model.built:
        model(first, training=False)
    fns = model.make_predict_function()
    total = pass_steps(data, batch_size, steps)
    cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose,
        epochs=1, steps=total)
    cb.on_predict_begin()  # before the weights are read: SwapEMAWeights swaps them in here
    model.jax_state_sync()
    carry = fns.partition.carry_of(model)
    outputs = predict_pass(fns, carry.params, carry.rest, data, batch_size, steps, cb)
    result = concatenate_outputs(outputs)
    cb.on_predict_end()
    return result
