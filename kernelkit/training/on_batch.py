"""`train_on_batch`, `test_on_batch`, `predict_on_batch`: one batch, the model's own state."""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.data.array_data import ArrayData
from kernelkit.data.unpack import pack_x_y_sample_weight
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.evaluate_loop import format_results
from kernelkit.training.passes import fetch_logs

__all__ = ["predict_on_batch", "test_on_batch", "train_on_batch"]


def _batch(model, x, y, sample_weight, class_weight=None):
    data = ArrayData(host_stage_data(model, x), y, sample_weight)  # string layers: on the host
    if class_weight:
        data.apply_class_weight(class_weight, model._num_classes())
    model._prepare_for_data(*data.as_tuple())
    return jax.device_put(pack_x_y_sample_weight(*data.as_tuple()))


def train_on_batch(model, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                   return_dict=False):
    model._assert_compiled("train_on_batch")
    batch = _batch(model, x, y, sample_weight, class_weight)
    fns = model.make_train_function()
    model.jax_state_sync()
    carry = model._start_carry(fns)
    if reset_metrics:
        carry = fns.partition.reset_metrics(carry)
    carry, logs = fns.train_once(carry, batch)
    if reset_metrics:  # after the batch too: a following reset_metrics=False call starts clean
        carry = fns.partition.reset_metrics(carry)
    fns.partition.write_back(model, carry)
    model._keep_opt_state(fns.partition, carry.opt_state)
    return format_results(model, fetch_logs(logs), return_dict)


def test_on_batch(model, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
    model._assert_compiled("test_on_batch")
    batch = _batch(model, x, y, sample_weight)
    fns = model.make_test_function()
    model.jax_state_sync()
    carry = fns.partition.carry_of(model)
    if reset_metrics:
        carry = fns.partition.reset_metrics(carry)
    rest, metrics, logs = fns.test_once(carry.params, carry.rest, carry.metrics, batch)
    carry.metrics = metrics
    if reset_metrics:  # after the batch too: a following reset_metrics=False call starts clean
        carry = fns.partition.reset_metrics(carry)
    fns.partition.write_back(model, carry)
    return format_results(model, fetch_logs(logs), return_dict)


def predict_on_batch(model, x):
    from kernelkit.training.trainer import Trainer

    if type(model).predict_step is Trainer.predict_step and hasattr(model, "_cached_forward"):
        out = model._cached_forward(x)  # graph models of kernelkit layers: one cached program
        if out is not None:
            return jax.tree_util.tree_map(np.asarray, out)
    data = ArrayData(host_stage_data(model, x))
    if not model.built:
        model(jax.tree_util.tree_map(lambda a: a[:1], data.x), training=False)
    fns = model.make_predict_function()
    model.jax_state_sync()
    carry = fns.partition.carry_of(model)
    out = fns.predict_once(carry.params, carry.rest, (jax.device_put(data.x),))
    return jax.tree_util.tree_map(np.asarray, jax.device_get(out))
