"""`train_on_batch`, `test_on_batch`, `predict_on_batch`: one batch, the model's own state."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.data.array_data import ArrayData
from kernelkit.data.source import HostBatch
from kernelkit.distribution.host_data import spans_processes
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.evaluate_loop import format_results
from kernelkit.training.overrides import is_default
from kernelkit.training.passes import fetch_logs

__all__ = ["predict_on_batch", "test_on_batch", "train_on_batch"]


def _batch(model, x, y, sample_weight, class_weight=None) -> HostBatch:
    data = ArrayData(host_stage_data(model, x), y, sample_weight)  # string layers: on the host
    data.apply_class_weight(class_weight, model._num_classes())
    model._prepare_for_data(*data.as_tuple())
    return HostBatch(jax.device_put(data.as_tuple()))


def train_on_batch(model, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                   return_dict=False):
    """`Model.train_on_batch`: one step on the whole batch."""
    model._assert_compiled("train_on_batch")
    batch = _batch(model, x, y, sample_weight, class_weight)
    fns = model.make_train_function()
    with model._run_session(fns, training=True) as session:
        if reset_metrics:
            session.reset_metrics()
        logs = session.train(batch, None, unroll=True)
        if reset_metrics:  # after the batch too: a following reset_metrics=False call starts clean
            session.reset_metrics()
    return format_results(model, fetch_logs(logs), return_dict)


def test_on_batch(model, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
    """`Model.test_on_batch`: loss and metrics on the whole batch."""
    model._assert_compiled("test_on_batch")
    batch = _batch(model, x, y, sample_weight)
    fns = model.make_test_function()
    with model._run_session(fns) as session:
        if reset_metrics:
            session.reset_metrics()
        state = [session.rest, session.metrics]
        logs = session.test(batch, None, state)
        session.metrics = state[1]  # the model's other state is not changed by a test step
        if reset_metrics:  # after the batch too: a following reset_metrics=False call starts clean
            session.reset_metrics()
        session.replace()
    return format_results(model, fetch_logs(logs), return_dict)


def predict_on_batch(model, x):
    """`Model.predict_on_batch`: the outputs for all of `x`, as NumPy arrays."""
    if is_default(model, "predict_step") and hasattr(model, "_cached_forward") \
            and not spans_processes():  # (a multi-process run joins the processes' batches)
        out = model._cached_forward(x)  # graph models of kernelkit layers: one cached program
        if out is not None:
            return jax.tree_util.tree_map(np.asarray, out)
    data = ArrayData(host_stage_data(model, x))
    if not model.built:
        model(jax.tree_util.tree_map(lambda a: a[:1], data.x), training=False)
    fns = model.make_predict_function()
    with model._run_session(fns) as session:
        out = session.predict(HostBatch((jax.device_put(data.x), None, None)), data)
    return jax.tree_util.tree_map(np.asarray, jax.device_get(out))
