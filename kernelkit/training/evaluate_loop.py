"""`evaluate()`: one pass in test mode; the scalar / list / dict return rules of Keras."""

from __future__ import annotations

from kernelkit.callbacks import CallbackList
from kernelkit.distribution.host_data import host_source
from kernelkit.layers.structured.host_stage import host_stage_data
from kernelkit.training.passes import (
    PassPlan,
    check_batch_size,
    check_stateful_batches,
    choose_execution,
    fetch_logs,
    make_data,
    run_pass,
)
from kernelkit.training.preparation import check_sparse_labels, raise_for_device_labels

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


def run_evaluate(model, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
    """`Model.evaluate`: one test pass; the final metric state stays in the model."""
    model._assert_compiled("evaluate")
    if batch_size is not None:
        check_batch_size(batch_size)
    x = host_stage_data(model, x)  # leading string layers run on the host, once
    data = make_data(x, y, sample_weight, batch_size=batch_size,
                     steps=steps, what="evaluate")
    batch_size = check_batch_size(batch_size)
    check_stateful_batches(model, data, batch_size, steps, what="evaluate")
    model._prepare_for_data(*data.first_batch(batch_size))
    if data.host_targets is not None:  # in-memory labels are checked once, on the host
        check_sparse_labels(model, data.host_targets)
    fns = model.make_test_function()
    data = host_source(data, "evaluate")  # a multi-process run: this process's share
    total = data.pass_steps(batch_size, steps)
    cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
        steps=total)
    group, _ = choose_execution(model, model.steps_per_execution, total,
                                cb.needs_batch_hooks("test"))
    with model._run_session(fns, cb) as session:
        cb.on_test_begin()  # before the pass: SwapEMAWeights swaps the averages in here
        state = [session.rest, session.partition.fresh_metrics()]
        logs = run_pass("test", data, PassPlan(batch_size, steps, group),
                        lambda d: session.test(d, data, state), cb)
        session.rest, session.metrics = state
        session.replace()  # the final metric state: get_metrics_result() reads it
        logs = fetch_logs(logs)
        raise_for_device_labels(model)  # labels that only existed inside the step
        cb.on_test_end(logs)
    return format_results(model, logs, return_dict)
