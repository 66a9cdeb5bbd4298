"""`fit()`: epochs of compiled steps, validation, callbacks; the border between the two worlds."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Container
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.callbacks import CallbackList, History, ProgbarLogger
from kernelkit.config import max_epochs, max_steps_per_epoch
from kernelkit.data.array_data import ArrayData
from kernelkit.data.iterable_data import IterableData, is_iterable_data
from kernelkit.data.unpack import pack_x_y_sample_weight
from kernelkit.layers.structured.host_stage import host_stage_data, host_stage_validation
from kernelkit.training.carry import Carry
from kernelkit.training.data_setup import (
    check_batch_size,
    check_stateful_batches,
    make_data,
    make_validation_data,
)
from kernelkit.training.execution_plan import choose_execution
from kernelkit.training.interrupt import InterruptGuard
from kernelkit.training.passes import (
    TrainLoop,
    device_arrays_of,
    fetch_logs,
    permutation,
    test_pass,
)
from kernelkit.training.target_checks import check_sparse_labels, raise_for_device_labels

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
    data = make_data(x, y, sample_weight, batch_size=batch_size if is_iterable_data(x) else None,
                     steps=steps_per_epoch, shuffle=shuffle, what="fit")
    val = None
    if validation_data is not None:
        val = make_validation_data(validation_data, batch_size, validation_steps)
    elif validation_split:
        if not isinstance(data, ArrayData):
            raise ValueError(
                "fit: `validation_split` only works with arrays, not with generators, "
                "iterators or PyDataset objects. Received: validation_split="
                f"{validation_split}. Pass validation_data=... instead."
            )
        data, val = data.split(validation_split)
    if isinstance(data, ArrayData):
        data.apply_class_weight(class_weight, model._num_classes())
        first = _head(data, check_batch_size(batch_size))
    else:
        if class_weight:
            data.class_weight = (class_weight, model._num_classes())
        first = data.first_batch()
    return data, val, first



def _head(data: ArrayData, batch_size: int):
    n = min(batch_size, data.num_samples)
    return jax.tree_util.tree_map(lambda a: a[:n], data.as_tuple())


def run_fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
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
        if isinstance(part, ArrayData):
            check_sparse_labels(model, part.y)
    fns = model.make_train_function()
    batch_size = check_batch_size(batch_size)
    check_stateful_batches(model, data, batch_size, steps_per_epoch)
    check_stateful_batches(model, val, check_batch_size(validation_batch_size, batch_size,
                                                        "validation_batch_size"),
                           validation_steps, what="fit (validation data)")
    steps = _steps_per_epoch(data, batch_size, steps_per_epoch)
    callbacks = _callbacks(model, callbacks, verbose, epochs, steps)
    group, unroll = choose_execution(model, model.steps_per_execution, steps,
                                     _user_listens(callbacks))
    loop = TrainLoop(model, fns, model._start_carry(fns))
    model._attach_loop(loop)
    model.stop_training = False
    device_data = device_arrays_of(data) if isinstance(data, ArrayData) else None
    val_device = device_arrays_of(val) if isinstance(val, ArrayData) else None
    logs, epoch_logs, interrupted = {}, {}, False
    with InterruptGuard() as guard:
        callbacks.on_train_begin()
        resume = _resume_point(callbacks, initial_epoch, data, loop)
        try:
            for epoch in range(resume.epoch, epochs):
                model._reset_metrics_in(loop)
                mid_epoch = epoch == resume.epoch and resume.step > 0
                if mid_epoch and resume.metrics is not None:
                    loop.carry.metrics, loop.dirty = resume.metrics, True
                callbacks.on_epoch_begin(epoch)
                first_step, order = (resume.step, resume.order) if mid_epoch else (0, None)
                logs = _run_epoch(model, loop, data, device_data, batch_size, steps_per_epoch,
                                  shuffle, group, unroll, callbacks, guard, first_step, order)
                epoch_logs = dict(fetch_logs(logs))
                loop.sync()
                raise_for_device_labels(model)  # labels that only existed inside the step
                if val is not None and _validation_due(epoch, validation_freq) and not (
                        guard.requested or model._stop_requested):
                    epoch_logs.update(_validate(model, loop, val, val_device,
                                                validation_batch_size or batch_size,
                                                validation_steps, group, callbacks))
                callbacks.on_epoch_end(epoch, epoch_logs)
                if model.stop_training or guard.requested or model._stop_requested:
                    interrupted = guard.requested
                    break
                if isinstance(data, IterableData) and data.exhausted:
                    break
        finally:
            model._finish_loop(loop)
            _finalize_ema(model, loop, epochs)
            callbacks.on_train_end(epoch_logs or None)
    if interrupted:
        raise KeyboardInterrupt("fit() was interrupted; the model holds the weights of the "
                                "last finished step.")
    return model.history


class _Resume(NamedTuple):
    epoch: int  # the first epoch to run
    step: int = 0  # batches of it already done
    order: object = None  # its sample order (device int32), when resuming mid-epoch
    metrics: list | None = None  # its metric state after those batches


def _resume_point(callbacks, initial_epoch: int, data, loop) -> _Resume:
    """Where training starts: `initial_epoch`, or later when a callback restored a backup.

    `BackupAndRestore` sets `resume_epoch` in `on_train_begin`; a backup made mid-epoch also
    gives the batches already done, that epoch's sample order and metric state
    (`resume_step`, `resume_order`, `resume_metrics`), from which array data resumes exactly.
    Other data restarts the epoch.
    """
    restored = [c for c in callbacks if getattr(c, "resume_epoch", None) is not None]
    epoch = max([initial_epoch, *(c.resume_epoch for c in restored)])
    for c in restored:
        order = getattr(c, "resume_order", None)
        if (c.resume_epoch == epoch and getattr(c, "resume_step", 0) and order is not None
                and isinstance(data, ArrayData) and len(order) == data.num_samples):
            return _Resume(epoch, c.resume_step, jax.device_put(np.asarray(order, np.int32)),
                           _matching_metrics(getattr(c, "resume_metrics", None), loop))
    return _Resume(epoch)


def _matching_metrics(saved, loop):
    """The saved metric state as device arrays, if it fits this model's metrics."""
    current = loop.carry.metrics
    if saved is None or len(saved) != len(current) or any(
            np.shape(a) != np.shape(b) for a, b in zip(saved, current)):
        return None
    return [jax.device_put(np.asarray(a, dtype=np.asarray(b).dtype))
            for a, b in zip(saved, current)]


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


def _steps_per_epoch(data, batch_size, steps_per_epoch):
    if isinstance(data, ArrayData):
        return -(-data.num_samples // batch_size) if steps_per_epoch is None else steps_per_epoch
    return data.steps


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


def _run_epoch(model, loop, data, device_data, batch_size, steps_per_epoch, shuffle, group,
               unroll, callbacks, guard, first_step=0, order=None):
    listen = callbacks.needs_batch_hooks("train")
    logs, step = {}, 0
    if isinstance(data, ArrayData):
        perm = permutation(data.num_samples, shuffle, batch_size) if order is None else order
        loop.order, step = perm, first_step  # a mid-epoch backup keeps the order to resume
        for execution in data.executions(batch_size, steps_per_epoch, group, first_step):
            if listen:
                callbacks.on_train_batch_begin(step)
            logs = loop.run_arrays(device_data, perm, execution, unroll)
            step += execution.steps
            if listen:
                callbacks.on_train_batch_end(step - 1, logs)
            if model.stop_training or guard.requested or model._stop_requested:
                break
        if first_step and not logs:  # resumed after the epoch's last batch: logs from the state
            loop.sync()
            logs = model.get_metrics_result()
        return logs
    for batch in data.epoch():
        if listen:
            callbacks.on_train_batch_begin(step)
        logs = loop.run_batch(pack_x_y_sample_weight(*_with_class_weight(data, batch)))
        step += 1
        if listen:
            callbacks.on_train_batch_end(step - 1, logs)
        if model.stop_training or guard.requested or model._stop_requested:
            break
    return logs


def _with_class_weight(data, batch):
    spec = getattr(data, "class_weight", None)
    if not spec:
        return batch
    from kernelkit.data.array_data import class_weight_to_sample_weight

    x, y, sw = batch
    weights = class_weight_to_sample_weight(jax.device_get(y), *spec)
    if sw is not None:
        weights = jax.device_get(sw) * weights.reshape((-1,) + (1,) * (sw.ndim - 1))
    return x, y, jax.device_put(weights)


def _finalize_ema(model, loop, epochs) -> None:
    """With `use_ema`, the weights `fit` leaves are the moving average, as in Keras 3."""
    optimizer = model.optimizer
    if epochs <= 0 or not getattr(optimizer, "use_ema", False) or not hasattr(
            optimizer, "finalize_params"):
        return
    carry = loop.carry
    params = optimizer.finalize_params(carry.params, carry.opt_state)
    if not isinstance(params, dict) or set(params) != set(carry.params):
        return
    params = {k: jnp.copy(v) for k, v in params.items()}  # never alias the donated EMA state
    loop.fns.partition.write_back(model, Carry(params, carry.rest, carry.metrics,
                                               carry.opt_state))


def _validate(model, loop, val, val_device, batch_size, steps, group, callbacks):
    callbacks.on_test_begin()
    _, logs = test_pass(loop.fns, loop.carry.params, loop.carry.rest, val, batch_size, steps,
                        group, callbacks, device_data=val_device)
    logs = fetch_logs(logs)
    callbacks.on_test_end(logs)
    return {f"val_{k}": v for k, v in logs.items()}
