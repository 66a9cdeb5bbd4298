"""LambdaCallback: each given function replaces its hook; batch hooks only when given."""

import pytest

from kernelkit.callbacks import CallbackList, LambdaCallback


def test_every_hook_calls_its_function(drive_fit, make_fake_model):
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(f"epoch_begin {epoch}"),
        on_train_batch_begin=lambda batch, logs: calls.append(f"batch_begin {batch}"),
        on_train_batch_end=lambda batch, logs: calls.append(f"batch_end {batch} {logs}"),
        on_epoch_end=lambda epoch, logs: calls.append(f"epoch_end {epoch} {logs}"),
        on_train_end=lambda logs: calls.append("train_end"),
    )
    model = make_fake_model()
    drive_fit(CallbackList([callback], model=model), model, [{"loss": 0.5}], steps=2,
              batch_logs=lambda epoch, step: {"loss": step})
    assert calls == [
        "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0 {'loss': 0.0}",
        "batch_begin 1", "batch_end 1 {'loss': 1.0}", "epoch_end 0 {'loss': 0.5}", "train_end",
    ]


def test_other_hooks_by_keyword_and_the_legacy_batch_hook():
    calls = []
    callback = LambdaCallback(
        on_batch_end=lambda batch, logs: calls.append(("batch_end", batch)),
        on_test_begin=lambda logs: calls.append("test_begin"),
        on_predict_batch_end=lambda batch, logs: calls.append(("predict", batch)),
    )
    callbacks = CallbackList([callback])
    assert callbacks.needs_batch_hooks("train") and callbacks.needs_batch_hooks("predict")
    assert not callbacks.needs_batch_hooks("test")
    callbacks.on_train_batch_end(3, {"loss": 1.0})
    callbacks.on_test_begin()
    callbacks.on_predict_batch_end(4, {"outputs": 1.0})
    callbacks.on_epoch_end(0, {})  # not given: the default does nothing
    assert calls == [("batch_end", 3), "test_begin", ("predict", 4)]


def test_epoch_only_lambda_needs_no_batch_hooks():
    callback = LambdaCallback(on_epoch_end=lambda epoch, logs: None)
    assert not any(callback.needs_batch_hooks(k) for k in ("train", "test", "predict"))


def test_bad_arguments():
    with pytest.raises(TypeError, match=r"LambdaCallback: unknown hook names.*Received: "
                                        r"\['on_epoch_ends'\]"):
        LambdaCallback(on_epoch_ends=print)
    with pytest.raises(TypeError, match=r"LambdaCallback: on_epoch_end is not callable.*"
                                        r"Received: on_epoch_end=<str>"):
        LambdaCallback(on_epoch_end="print")
