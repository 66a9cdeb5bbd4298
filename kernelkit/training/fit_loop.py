"""`fit()`: epochs of compiled steps, validation, callbacks; the border between the two worlds."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Container

import jax.numpy as jnp

from kernelkit.callbacks import CallbackList, History, ProgbarLogger
from kernelkit.config import max_epochs, max_steps_per_epoch
from kernelkit.distribution.host_data import host_source
from kernelkit.layers.structured.host_stage import host_stage_data, host_stage_validation
from kernelkit.training.passes import (
    PassPlan,
    check_batch_size,
    check_stateful_batches,
    choose_execution,
    fetch_logs,
    make_data,
    make_validation_data,
    run_pass,
)
from kernelkit.training.preparation import check_sparse_labels, raise_for_device_labels
from kernelkit.training.session import InterruptGuard

__all__ = ["run_fit"]


def _check_epochs(epochs, initial_epoch):
    for name, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise ValueError(f"fit: `{name}` must be a non-negative integer. "
                             f"Received: {name}={value!r}.")


def _validation_due(epoch: int, freq) -> bool:
    """`epoch` is 0-based; `validation_freq` counts epochs from 1 (int: every N)."""
    if isinstance(freq, numbers.Integral) and not isinstance(freq, bool):
        if freq < 1:
            raise ValueError(f"fit: `validation_freq` must be at least 1. Received: {freq!r}.")
        return (epoch + 1) % freq == 0
    if isinstance(freq, Container) and not isinstance(freq, str | bytes):
        return (epoch + 1) in freq
    raise ValueError(
        "fit: `validation_freq` must be an integer or a container of epoch numbers. "
        f"Received: validation_freq={freq!r}."
    )


def _prepare(model, x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight,
             validation_split, validation_data, validation_steps):
    x = host_stage_data(model, x)  # leading string layers run on the host, once
    validation_data = host_stage_validation(model, validation_data)
    data = make_data(x, y, sample_weight, batch_size=batch_size,
                     steps=steps_per_epoch, shuffle=shuffle, what="fit")
    val = None
    if validation_data is not None:
        val = make_validation_data(validation_data, batch_size, validation_steps)
    elif validation_split:
        data, val = data.split(validation_split)
    data.apply_class_weight(class_weight, model._num_classes())
    return data, val, data.first_batch(check_batch_size(batch_size))


def run_fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
    """`Model.fit`: the arguments are checked, the data prepared, then the epochs run."""
    model._assert_compiled("fit")
    _check_epochs(epochs, initial_epoch)
    epochs, steps_per_epoch = _capped(epochs, steps_per_epoch)
    if batch_size is not None:
        check_batch_size(batch_size)
    _validation_due(0, validation_freq)  # validates the argument before any work
    data, val, first = _prepare(model, x, y, sample_weight, batch_size, steps_per_epoch,
                                shuffle, class_weight, validation_split, validation_data,
                                validation_steps)
    model._prepare_for_data(*first)
    for part in (data, val):  # in-memory labels are checked once, on the host
        if part is not None and part.host_targets is not None:
            check_sparse_labels(model, part.host_targets)
    fns = model.make_train_function()
    batch_size = check_batch_size(batch_size)
    val_batch_size = check_batch_size(validation_batch_size, batch_size, "validation_batch_size")
    check_stateful_batches(model, data, batch_size, steps_per_epoch)
    check_stateful_batches(model, val, val_batch_size, validation_steps,
                           what="fit (validation data)")
    # a multi-process run: arrays are this process's share, fed per host (Keras 3)
    data, val = host_source(data, "fit"), host_source(val, "fit (validation data)")
    steps = data.pass_steps(batch_size, steps_per_epoch, wrap=True)
    callbacks = _callbacks(model, callbacks, verbose, epochs, steps)
    if callbacks.wants_layer_stats:  # e.g. LiveProgress(layer_stats=True)
        fns = fns.with_layer_stats(model)
    group, unroll = choose_execution(model, model.steps_per_execution, steps,
                                     _user_listens(callbacks))
    plan = PassPlan(batch_size, steps_per_epoch, group, unroll)
    val_plan = None if val is None else PassPlan(val_batch_size, validation_steps, group)
    model.stop_training = False
    with InterruptGuard() as guard, model._run_session(fns, callbacks, guard, training=True) as session:
        _run_epochs(model, session, data, val, plan, val_plan, shuffle, epochs, initial_epoch,
                    validation_freq)
        interrupted = session.stop.interrupted
    if interrupted:
        raise KeyboardInterrupt("fit() was interrupted; the model holds the weights of the "
                                "last finished step.")
    return model.history


def _run_epochs(model, session, data, val, plan, val_plan, shuffle, epochs, initial_epoch,
                validation_freq) -> None:
    callbacks, stop = session.callbacks, session.stop
    epoch_logs = {}
    callbacks.on_train_begin()
    try:
        resume = session.resume_point
        first_epoch = max(initial_epoch, resume.epoch if resume is not None else 0)
        for epoch in range(first_epoch, epochs):
            session.reset_metrics()
            first_step = _resume_epoch(session, data, resume, epoch)
            callbacks.on_epoch_begin(epoch)
            if not first_step:
                session.order = data.epoch_order(shuffle, plan.batch_size)
            logs = run_pass("train", data, plan, lambda d: session.train(d, data, plan.unroll),
                            callbacks, stop, first_step)
            if first_step and not logs:  # resumed after the epoch's last batch
                session.sync()
                logs = model.get_metrics_result()
            epoch_logs = dict(fetch_logs(logs))
            session.sync()
            raise_for_device_labels(model)  # labels that only existed inside the step
            if val is not None and _validation_due(epoch, validation_freq) and not (
                    stop.interrupted or stop.requested):
                epoch_logs.update(_validate(session, val, val_plan))
            callbacks.on_epoch_end(epoch, epoch_logs)
            if stop.is_set() or data.exhausted:
                break
    finally:
        session.sync()
        _finalize_ema(model, session, epochs)
        callbacks.on_train_end(epoch_logs or None)


def _resume_epoch(session, data, resume, epoch) -> int:
    """Batches of `epoch` already done by a restored mid-epoch backup (array data resumes
    exactly, with that epoch's order and metric state; other data restarts the epoch)."""
    if resume is None or resume.epoch != epoch or not resume.step:
        return 0
    order = data.resumable_order(resume.order)
    if order is None:
        return 0
    session.order = order
    metrics = session.matching_metrics(resume.metrics)
    if metrics is not None:
        session.metrics = metrics
    return resume.step


def _capped(epochs, steps_per_epoch):
    """`epochs` and `steps_per_epoch` within `config.max_epochs()` / `max_steps_per_epoch()`."""
    cap = max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        epochs = cap
    cap = max_steps_per_epoch()
    if cap and (not steps_per_epoch or cap < steps_per_epoch):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        steps_per_epoch = cap
    return epochs, steps_per_epoch


def _callbacks(model, callbacks, verbose, epochs, steps):
    if isinstance(callbacks, CallbackList):
        cb = callbacks
    else:
        cb = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                          verbose=verbose, epochs=epochs, steps=steps)
    cb.set_model(model)
    return cb


def _user_listens(callbacks) -> bool:
    """Whether a user callback wants every train batch (the progress bar and History, added
    by `fit` itself, don't count: they are fine with one hook call per dispatch)."""
    return any(c.needs_batch_hooks("train") for c in callbacks
               if not isinstance(c, ProgbarLogger | History))


def _finalize_ema(model, session, epochs) -> None:
    """With `use_ema`, the weights `fit` leaves are the moving average, as in Keras 3."""
    optimizer = model.optimizer
    if epochs <= 0 or not getattr(optimizer, "use_ema", False) or not hasattr(
            optimizer, "finalize_params"):
        return
    params = optimizer.finalize_params(session.params, session.optimizer_state)
    if not isinstance(params, dict) or set(params) != set(session.params):
        return
    session.replace(params={k: jnp.copy(v) for k, v in params.items()})  # never alias EMA


def _validate(session, val, plan):
    callbacks = session.callbacks
    callbacks.on_test_begin()
    state = [session.rest, session.partition.fresh_metrics()]
    logs = run_pass("test", val, plan, lambda d: session.test(d, val, state), callbacks)
    logs = fetch_logs(logs)
    callbacks.on_test_end(logs)
    return {f"val_{k}": v for k, v in logs.items()}
