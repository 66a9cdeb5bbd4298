"""`evaluate()`: one pass in test mode; the scalar / list / dict return rules of Keras."""

from __future__ import annotations

import jax

from kernelkit.callbacks import CallbackList
from kernelkit.data.array_data import ArrayData
from kernelkit.data.iterable_data import is_iterable_data
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.data_setup import check_batch_size, check_stateful_batches, make_data
from kernelkit.training.execution_plan import choose_execution
from kernelkit.training.passes import fetch_logs, pass_steps, test_pass
from kernelkit.training.target_checks import check_sparse_labels, raise_for_device_labels

__all__ = ["format_results", "run_evaluate"]


def format_results(model, logs: dict, return_dict: bool):
    """Keras's rule: a dict; else a scalar for one value, a list in `metrics_names` order."""
    logs = {k: float(v) if getattr(v, "ndim", 0) == 0 else v for k, v in logs.items()}
    names = [n for n in model.metrics_names if n in logs] or list(logs)
    names += [k for k in logs if k not in names]  # keys of an overridden step, in its order
    if return_dict:
        return {n: logs[n] for n in names}
    values = [logs[n] for n in names]
    return values[0] if len(values) == 1 else values


def _first_batch(data, batch_size):
    if isinstance(data, ArrayData):
        n = min(batch_size, data.num_samples)
        return jax.tree_util.tree_map(lambda a: a[:n], data.as_tuple())
    return data.first_batch()


def run_evaluate(model, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
    model._assert_compiled("evaluate")
    if batch_size is not None:
        check_batch_size(batch_size)
    x = host_stage_data(model, x)  # leading string layers run on the host, once
    data = make_data(x, y, sample_weight, batch_size=batch_size if not isinstance(
        x, ArrayData) and is_iterable_data(x) else None, steps=steps, what="evaluate")
    batch_size = check_batch_size(batch_size)
    check_stateful_batches(model, data, batch_size, steps, what="evaluate")
    model._prepare_for_data(*_first_batch(data, batch_size))
    if isinstance(data, ArrayData):  # in-memory labels are checked once, on the host
        check_sparse_labels(model, data.y)
    fns = model.make_test_function()
    cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
        steps=pass_steps(data, batch_size, steps))
    group, _ = choose_execution(model, model.steps_per_execution,
                                pass_steps(data, batch_size, steps), cb.needs_batch_hooks("test"))
    cb.on_test_begin()  # before the weights are read: SwapEMAWeights swaps them in here
    model.jax_state_sync()
    carry = fns.partition.carry_of(model)
    carry.rest, carry.metrics, logs = test_pass(fns, carry.params, carry.rest, data,
                                                batch_size, steps, group, cb, with_metrics=True)
    fns.partition.write_back(model, carry)
    logs = fetch_logs(logs)
    raise_for_device_labels(model)  # labels that only existed inside the step
    cb.on_test_end(logs)
    return format_results(model, logs, return_dict)
