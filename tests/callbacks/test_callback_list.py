"""CallbackList: dispatch, default callbacks, model/params, and lazy batch logs."""

import jax.numpy as jnp
import pytest

from kernelkit.callbacks import (
    Callback,
    CallbackList,
    History,
    LearningRateScheduler,
    ProgbarLogger,
)


class Recorder(Callback):
    """Records every hook call as (name, index or None, logs)."""

    def __init__(self, record, tag):
        super().__init__()
        self.record, self.tag = record, tag

    def __getattribute__(self, name):
        if name.startswith("on_"):
            record, tag = object.__getattribute__(self, "record"), object.__getattribute__(
                self, "tag")

            def hook(*args):
                record.append((tag, name, *args))

            return hook
        return object.__getattribute__(self, name)

    def needs_batch_hooks(self, kind="train"):
        return True


def test_every_hook_is_dispatched_to_every_callback_in_order():
    record = []
    callbacks = CallbackList([Recorder(record, "a"), Recorder(record, "b")])
    callbacks.on_train_begin()
    callbacks.on_epoch_begin(0)
    callbacks.on_train_batch_begin(0)
    callbacks.on_train_batch_end(0, {"loss": jnp.asarray(0.5)})
    callbacks.on_batch_begin(1)
    callbacks.on_batch_end(1, {"loss": 0.25})
    callbacks.on_test_begin()
    callbacks.on_test_batch_begin(0)
    callbacks.on_test_batch_end(0, {"loss": 0.75})
    callbacks.on_test_end({"loss": 0.75})
    callbacks.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
    callbacks.on_train_end({"loss": 0.5})
    callbacks.on_predict_begin()
    callbacks.on_predict_batch_begin(0)
    callbacks.on_predict_batch_end(0, {"outputs": 1.0})
    callbacks.on_predict_end()
    expected = [
        ("on_train_begin", {}), ("on_epoch_begin", 0, {}), ("on_train_batch_begin", 0, {}),
        ("on_train_batch_end", 0, {"loss": 0.5}), ("on_batch_begin", 1, {}),
        ("on_batch_end", 1, {"loss": 0.25}), ("on_test_begin", {}),
        ("on_test_batch_begin", 0, {}), ("on_test_batch_end", 0, {"loss": 0.75}),
        ("on_test_end", {"loss": 0.75}), ("on_epoch_end", 0, {"loss": 0.5, "val_loss": 0.75}),
        ("on_train_end", {"loss": 0.5}), ("on_predict_begin", {}),
        ("on_predict_batch_begin", 0, {}), ("on_predict_batch_end", 0, {"outputs": 1.0}),
        ("on_predict_end", {}),
    ]
    assert record == [(tag, *call) for call in expected for tag in ("a", "b")]


def test_default_history_and_progbar_are_added_once(make_fake_model):
    callbacks = CallbackList(add_history=True, add_progbar=True)
    assert [type(c) for c in callbacks] == [History, ProgbarLogger]
    assert callbacks.history is callbacks.callbacks[0]
    history, progbar = History(), ProgbarLogger()
    callbacks = CallbackList([progbar, history], add_history=True, add_progbar=True)
    assert callbacks.callbacks == [progbar, history]
    assert CallbackList().callbacks == [] and CallbackList().history is None


def test_set_model_and_set_params_reach_every_callback(make_fake_model):
    model = make_fake_model()
    inner = Callback()
    callbacks = CallbackList([[inner], ()], add_history=True, model=model, verbose=2, epochs=3,
                             steps=5)
    assert len(callbacks) == 2
    assert inner.model is model and callbacks.history.model is model
    assert model.history is callbacks.history
    assert inner.params == {"verbose": 2, "epochs": 3, "steps": 5}
    callbacks.set_model(None)  # ignored, as in Keras
    assert inner.model is model


def test_append_gives_the_model_and_params_and_iterates(make_fake_model):
    model = make_fake_model()
    callbacks = CallbackList(model=model, verbose=1, epochs=1, steps=2)
    history = History()
    callbacks.append(history)
    assert history.model is model and history.params == {"verbose": 1, "epochs": 1, "steps": 2}
    assert list(callbacks) == [history] and callbacks.history is history
    progbar = ProgbarLogger()
    callbacks.append(progbar)
    assert progbar.target == 2


def test_a_non_callback_is_rejected():
    with pytest.raises(TypeError, match=r"CallbackList: a callback is not a `Callback` instance"
                                        r".*Received: callback=<function>"):
        CallbackList([lambda epoch, logs: None])
    with pytest.raises(TypeError, match=r"Received: callback='history'"):
        CallbackList().append("history")


def test_batch_logs_are_never_fetched_when_nobody_listens():
    calls = []

    def lazy_logs():
        calls.append(1)
        return {"loss": jnp.asarray(0.5)}

    callbacks = CallbackList([Callback()], add_history=True, add_progbar=True, verbose=2,
                             epochs=1, steps=4)
    assert not callbacks.needs_batch_hooks("train")
    for step in range(4):
        callbacks.on_train_batch_begin(step, lazy_logs)
        callbacks.on_train_batch_end(step, lazy_logs)
        callbacks.on_test_batch_end(step, lazy_logs)
        callbacks.on_predict_batch_end(step, lazy_logs)
    assert calls == []


def test_batch_logs_are_fetched_once_per_hook_for_all_listeners():
    calls, seen = [], []

    class Listener(Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs)

    def lazy_logs():
        calls.append(1)
        return {"loss": jnp.asarray(0.5)}

    callbacks = CallbackList([Listener(), Callback(), Listener()])
    assert callbacks.needs_batch_hooks("train") and not callbacks.needs_batch_hooks("test")
    callbacks.on_train_batch_end(0, lazy_logs)
    assert calls == [1]
    assert seen == [{"loss": 0.5}, {"loss": 0.5}] and type(seen[0]["loss"]) is float


def test_needs_batch_hooks_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match=r"CallbackList.needs_batch_hooks: unknown kind"):
        CallbackList().needs_batch_hooks("eval")


def test_epoch_logs_are_one_dict_shared_in_order(make_fake_model):
    """A key added by one callback (learning_rate) reaches the callbacks after it (History)."""
    model = make_fake_model(learning_rate=0.5)
    scheduler = LearningRateScheduler(lambda epoch: 0.5 / (epoch + 1))
    callbacks = CallbackList([scheduler], add_history=True, model=model)
    callbacks.on_train_begin()
    for epoch in range(2):
        callbacks.on_epoch_begin(epoch)
        callbacks.on_epoch_end(epoch, {"loss": jnp.asarray(1.0 - epoch / 4)})
    callbacks.on_train_end()
    assert callbacks.history.history == {"loss": [1.0, 0.75], "learning_rate": [0.5, 0.25]}
    assert callbacks.history.epoch == [0, 1]
