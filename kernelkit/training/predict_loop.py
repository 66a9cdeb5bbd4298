"""`predict()`: outputs in batches, returned as NumPy arrays in the model's output structure."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.callbacks import CallbackList
from kernelkit.data.iterable_data import is_iterable_data
from kernelkit.distribution.host_data import host_source, spans_processes
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.overrides import is_default
from kernelkit.training.passes import (
    PassPlan,
    check_batch_size,
    check_stateful_batches,
    make_data,
    run_pass,
)

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
    if callbacks is not None or verbose not in (0, "auto") or steps is not None:
        return None
    if not is_default(model, "predict_step") or is_iterable_data(x) or spans_processes():
        return None  # (a multi-process run joins the processes' batches in the loop)
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
    data = make_data(x, steps=steps, what="predict")
    batch_size = check_batch_size(batch_size)
    check_stateful_batches(model, data, batch_size, steps, what="predict")
    if not model.built:
        model(jax.tree_util.tree_map(lambda a: a[:1], data.first_batch(1)[0]), training=False)
    fns = model.make_predict_function()
    data = host_source(data, "predict")  # a multi-process run: this process's share
    total = data.pass_steps(batch_size, steps)
    cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose,
        epochs=1, steps=total)
    outputs = []

    def predict_one(dispatch):
        out = session.predict(dispatch, data)
        outputs.append(out)
        return out

    with model._run_session(fns, cb) as session:
        cb.on_predict_begin()  # before the pass: SwapEMAWeights swaps the averages in here
        run_pass("predict", data, PassPlan(batch_size, None if steps is None else total, 1),
                 predict_one, cb)
        result = concatenate_outputs(outputs)
        cb.on_predict_end()
    return result
