"""Callback base class: hooks, legacy aliases, set_model/set_params, needs_batch_hooks."""

import pytest

from kernelkit.callbacks import Callback

HOOKS_WITH_INDEX = [
    "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end",
]
HOOKS_WITHOUT_INDEX = [
    "on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin",
    "on_predict_end",
]


def test_every_hook_exists_and_does_nothing_by_default():
    callback = Callback()
    for name in HOOKS_WITH_INDEX:
        assert getattr(callback, name)(0, {"loss": 1.0}) is None
        assert getattr(callback, name)(0) is None
    for name in HOOKS_WITHOUT_INDEX:
        assert getattr(callback, name)({"loss": 1.0}) is None
        assert getattr(callback, name)() is None


def test_train_batch_hooks_call_the_legacy_batch_hooks():
    calls = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            calls.append(("begin", batch, logs))

        def on_batch_end(self, batch, logs=None):
            calls.append(("end", batch, logs))

    callback = Legacy()
    callback.on_train_batch_begin(2, {})
    callback.on_train_batch_end(2, {"loss": 0.5})
    callback.on_test_batch_end(2, {"loss": 0.5})  # not a train batch: no legacy call
    assert calls == [("begin", 2, {}), ("end", 2, {"loss": 0.5})]


def test_set_params_and_set_model(make_fake_model):
    callback = Callback()
    assert callback.params is None and callback.model is None
    callback.set_params({"verbose": 1, "epochs": 2, "steps": 3})
    assert callback.params == {"verbose": 1, "epochs": 2, "steps": 3}
    model = make_fake_model()
    callback.set_model(model)
    assert callback.model is model


def test_reading_model_asks_it_to_sync_its_state(make_fake_model):
    model = make_fake_model()
    callback = Callback()
    callback.set_model(model)
    assert model.sync_count == 0
    _ = callback.model
    _ = callback.model
    assert model.sync_count == 2


def test_needs_batch_hooks_is_false_for_the_base_class():
    callback = Callback()
    assert not any(callback.needs_batch_hooks(kind) for kind in ("train", "test", "predict"))


@pytest.mark.parametrize(
    "hook, kinds",
    [
        ("on_train_batch_begin", {"train"}),
        ("on_train_batch_end", {"train"}),
        ("on_batch_begin", {"train"}),
        ("on_batch_end", {"train"}),
        ("on_test_batch_begin", {"test"}),
        ("on_test_batch_end", {"test"}),
        ("on_predict_batch_begin", {"predict"}),
        ("on_predict_batch_end", {"predict"}),
        ("on_epoch_end", set()),
        ("on_train_begin", set()),
    ],
)
def test_needs_batch_hooks_follows_the_overridden_hook(hook, kinds):
    subclass = type("Sub", (Callback,), {hook: lambda self, *args, **kwargs: None})
    callback = subclass()
    assert {k for k in ("train", "test", "predict") if callback.needs_batch_hooks(k)} == kinds


def test_needs_batch_hooks_sees_hooks_set_on_the_instance():
    callback = Callback()
    callback.on_predict_batch_end = lambda batch, logs: None
    assert callback.needs_batch_hooks("predict")
    assert not callback.needs_batch_hooks("train")


def test_needs_batch_hooks_inherits_through_subclasses():
    class Base(Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass

    class Child(Base):
        pass

    assert Child().needs_batch_hooks("train")
    assert Child().needs_batch_hooks() is True  # "train" is the default kind


def test_needs_batch_hooks_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match=r"Callback.needs_batch_hooks: unknown kind of loop.*"
                                         r"Received: kind='validation'"):
        Callback().needs_batch_hooks("validation")
