"""`compile(steps_per_execution=N)`: fused steps give the same training as one step per
dispatch; batch hooks fire once per dispatch (catalogue 3.3, statements 54-56)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import callbacks
from kernelkit.training.session import TrainingSession
from tests.keras_oracle import keras


def _data(n):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 5)).astype("float32")
    return x, (x[:, :1] * 2.0 - x[:, 1:2]).astype("float32")


def _model(lib=kk):
    return lib.Sequential([lib.Input((5,)), lib.layers.Dense(8, activation="tanh"),
                           lib.layers.Dense(1)])


class BatchCounter(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.begins, self.ends = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.begins.append(batch)

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(batch)


_START = None


def _start_weights():
    global _START
    if _START is None:
        _START = _model(keras).get_weights()
    return _START


def _train(setting, n, epochs=2, batch_size=10, optimizer="adam", cbs=None):
    x, y = _data(n)
    model = _model()
    model.set_weights(_start_weights())
    model.compile(optimizer, "mse", metrics=["mae"], steps_per_execution=setting)
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                        callbacks=cbs)
    return model, history


@pytest.mark.parametrize("n", [100, 97])  # 10 full batches; 9 full batches and one of 7
@pytest.mark.parametrize("setting", [3, 32, "auto"])
def test_fused_steps_match_one_step_per_dispatch(setting, n):  # 54
    reference, ref_history = _train(1, n)
    model, history = _train(setting, n)
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=2e-5,
                                   err_msg=key)
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)
    assert int(model.optimizer.iterations) == int(reference.optimizer.iterations) == \
        2 * -(-n // 10)


def test_fused_steps_match_keras():  # 54, differential
    x, y = _data(97)
    k_model, kk_model = _model(keras), _model()
    kk_model.set_weights(k_model.get_weights())
    k_model.compile("sgd", "mse", steps_per_execution=4)
    kk_model.compile("sgd", "mse", steps_per_execution=4)
    kwargs = {"batch_size": 10, "epochs": 2, "shuffle": False, "verbose": 0}
    np.testing.assert_allclose(kk_model.fit(x, y, **kwargs).history["loss"],
                               k_model.fit(x, y, **kwargs).history["loss"], rtol=1e-4)
    for ours, theirs in zip(kk_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_batch_hooks_fire_once_per_execution():  # 55
    counter = BatchCounter()
    _train(5, 100, epochs=2, cbs=[counter])
    assert counter.begins == [0, 5, 0, 5]
    assert counter.ends == [4, 9, 4, 9]


def test_execution_longer_than_epoch_is_cut_to_the_epoch():  # 56
    counter = BatchCounter()
    model, _ = _train(20, 100, epochs=3, cbs=[counter], optimizer="sgd")
    assert counter.begins == [0, 0, 0]
    assert counter.ends == [9, 9, 9]
    assert int(model.optimizer.iterations) == 30
    reference, _ = _train(1, 100, epochs=3, optimizer="sgd")
    for ours, theirs in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=1e-6)


def test_keras_fires_hooks_the_same_way():  # 55, 56 against the oracle
    class KCounter(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.begins = []

        def on_train_batch_begin(self, batch, logs=None):
            self.begins.append(batch)

    x, y = _data(100)
    for setting, expected in ((5, [0, 5]), (20, [0])):
        k_model = _model(keras)
        k_model.compile("sgd", "mse", steps_per_execution=setting)
        k_counter = KCounter()
        k_model.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=0,
                    callbacks=[k_counter])
        counter = BatchCounter()
        _train(setting, 100, epochs=1, cbs=[counter])
        assert counter.begins == k_counter.begins == expected


def _count_dispatches(monkeypatch):
    calls = []
    original = TrainingSession.train

    def spy(self, dispatch, source, unroll):
        calls.append(dispatch.steps)
        return original(self, dispatch, source, unroll)

    monkeypatch.setattr(TrainingSession, "train", spy)
    return calls


def test_auto_fuses_steps_when_only_the_progress_bar_listens(monkeypatch, capsys):
    calls = _count_dispatches(monkeypatch)
    _train("auto", 100, epochs=1)
    quiet = list(calls)
    calls.clear()
    x, y = _data(100)
    model = _model()
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=10, epochs=1, shuffle=False, verbose=1)
    assert "10/10" in capsys.readouterr().out
    assert quiet == calls == [10]  # the whole epoch in one dispatch, progress bar or not


def test_auto_runs_every_batch_when_a_user_callback_listens(monkeypatch):
    calls = _count_dispatches(monkeypatch)
    counter = BatchCounter()
    _train("auto", 100, epochs=1, cbs=[counter])
    assert calls == [1] * 10
    assert counter.begins == list(range(10))


def test_epoch_end_only_callback_does_not_stop_fusion(monkeypatch):
    calls = _count_dispatches(monkeypatch)
    seen = []
    _train("auto", 100, epochs=1,
           cbs=[callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))])
    assert calls == [10] and seen == [0]


def test_partial_last_batch_runs_as_its_own_dispatch(monkeypatch):  # 108 with fusion
    calls = _count_dispatches(monkeypatch)
    _train(4, 97, epochs=1)
    assert calls == [4, 4, 1, 1]
