"""`fit()`: history, epochs, batches, verbosity, shuffling and steps per epoch (catalogue 3.4)."""

import itertools

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import callbacks, layers
from tests.keras_oracle import keras
from tests.training.fit_spies import HookRecorder, indexed_data, spy_model, train_batches


def _model(lib=kk, features=3):
    return lib.Sequential([lib.Input((features,)), lib.layers.Dense(1)])


def _compiled(metrics=None, **compile_kwargs):
    model = _model()
    model.compile("sgd", "mse", metrics=metrics, **compile_kwargs)
    return model


def test_uncompiled_fit_raises_not_compiled_error():  # 60, decision 6.3
    x, y = indexed_data()
    model = _model()
    model(x[:1])
    before = model.get_weights()
    with pytest.raises(kk.NotCompiledError, match=r"you must call compile\(\) before fit"):
        model.fit(x, y, verbose=0)
    assert issubclass(kk.NotCompiledError, RuntimeError)
    assert issubclass(kk.NotCompiledError, ValueError)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fit_returns_history_with_one_float_per_epoch():  # 61, 106
    x, y = indexed_data()
    model = _compiled()
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=None)
    assert isinstance(history, callbacks.History)
    assert history is model.history
    assert len(history.history["loss"]) == 3
    assert all(type(v) is float for v in history.history["loss"])
    assert history.epoch == [0, 1, 2]


def test_history_keys_match_keras():  # 62
    x, y = indexed_data()
    model = _compiled(metrics=["mae"])
    assert set(model.fit(x, y, verbose=0).history) == {"loss", "mae"}
    history = model.fit(x, y, verbose=0, validation_split=0.2).history
    k_model = _model(keras)
    k_model.compile("sgd", "mse", metrics=["mae"])
    theirs = k_model.fit(x, y, verbose=0, validation_split=0.2).history
    assert set(history) == set(theirs) == {"loss", "mae", "val_loss", "val_mae"}


@pytest.mark.parametrize("batch_size, sizes", [
    (None, [32, 32, 32, 4]), (10, [10] * 10), (30, [30, 30, 30, 10]), (100, [100]),
    (500, [100]),
])
def test_batch_sizes(batch_size, sizes):  # 63, 64, 108
    log = []
    x, y = indexed_data()
    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    batches = train_batches(log)
    assert [len(b) for b in batches] == sizes
    assert sum(batches, []) == list(range(100))  # no sample dropped or repeated


def test_initial_epoch_counts_to_epochs():  # 65
    x, y = indexed_data()
    model = _compiled()
    recorder = HookRecorder()
    history = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0, callbacks=[recorder])
    assert len(history.history["loss"]) == 2
    assert [e[1] for e in recorder.hooks("epoch_begin")] == [3, 4]
    assert history.epoch == [3, 4]


def test_initial_epoch_equal_to_epochs_trains_nothing():  # 66
    x, y = indexed_data()
    model = _compiled()
    model(x[:1])
    before = model.get_weights()
    history = model.fit(x, y, epochs=3, initial_epoch=3, verbose=0)
    assert history.history == {}
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs, match", [
    ({"epochs": -1}, r"`epochs` must be a non-negative integer"),
    ({"epochs": 1.5}, r"`epochs` must be a non-negative integer"),
    ({"initial_epoch": -2}, r"`initial_epoch` must be a non-negative integer"),
    ({"validation_freq": 0}, r"`validation_freq` must be at least 1"),
    ({"validation_freq": "2"}, r"`validation_freq` must be an integer or a container"),
])
def test_bad_epoch_arguments_raise(kwargs, match):
    x, y = indexed_data()
    with pytest.raises(ValueError, match=match):
        _compiled().fit(x, y, verbose=0, **kwargs)


def test_verbose_0_prints_nothing(capsys):  # 67
    x, y = indexed_data()
    _compiled(metrics=["mae"]).fit(x, y, epochs=2, verbose=0, validation_split=0.2)
    assert capsys.readouterr().out == ""


def test_verbose_2_prints_one_line_per_epoch(capsys):  # 68
    x, y = indexed_data()
    _compiled(metrics=["mae"]).fit(x, y, epochs=3, verbose=2, validation_split=0.2)
    out = capsys.readouterr().out
    assert "\r" not in out and "\b" not in out
    lines = [line for line in out.splitlines() if line.strip()]
    metric_lines = [line for line in lines if "loss:" in line]
    assert len(metric_lines) == 3
    assert all("val_loss:" in line and "mae:" in line for line in metric_lines)
    assert all(line.startswith(("Epoch ", "3/3")) for line in lines)


@pytest.mark.parametrize("verbose", [1, "auto"])
def test_verbose_1_and_auto_show_progress(capsys, verbose):  # 69, 70
    x, y = indexed_data()
    _compiled().fit(x, y, epochs=2, verbose=verbose)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "4/4" in out and "loss:" in out


@pytest.mark.parametrize("shuffle", [True, False, "batch"])
def test_shuffle_orders(shuffle):  # 86, 87, 89
    log = []
    x, y = indexed_data()
    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=10, epochs=2, shuffle=shuffle, verbose=0)
    batches = train_batches(log)
    epochs = [sum(batches[:10], []), sum(batches[10:], [])]
    assert all(sorted(e) == list(range(100)) for e in epochs)
    if shuffle is False:
        assert epochs == [list(range(100))] * 2
        return
    assert epochs[0] != list(range(100)) and epochs[0] != epochs[1]
    if shuffle == "batch":  # whole batches move; each keeps contiguous samples
        for batch in batches:
            assert batch == list(range(batch[0], batch[0] + 10)) and batch[0] % 10 == 0


def test_shuffle_is_deterministic_under_a_seed():  # 86
    orders = []
    for _ in range(2):
        kk.utils.set_random_seed(7)
        log = []
        x, y = indexed_data()
        model = spy_model(log)
        model.compile("sgd", "mse")
        model.fit(x, y, batch_size=25, epochs=1, verbose=0)
        orders.append(train_batches(log))
    assert orders[0] == orders[1]


def test_shuffle_batch_keeps_the_partial_batch_whole():  # 89 with 95 samples
    log = []
    x, y = indexed_data(95)
    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=10, epochs=1, shuffle="batch", verbose=0)
    batches = train_batches(log)
    assert sorted(sum(batches, [])) == list(range(95))
    assert all(b == list(range(b[0], b[0] + len(b))) for b in batches)


def test_shuffle_is_ignored_for_generators():  # 88
    log = []
    x, y = indexed_data(40)
    model = spy_model(log)
    model.compile("sgd", "mse")

    def batches():
        for start in range(0, 40, 10):
            yield x[start:start + 10], y[start:start + 10]

    model.fit(batches(), epochs=1, shuffle=True, verbose=0)
    assert sum(train_batches(log), []) == list(range(40))


def test_steps_per_epoch_with_infinite_generator_continues_it():  # 101
    log = []
    x, y = indexed_data(100)
    drawn = []

    def forever():
        for i in itertools.count():
            drawn.append(i)
            start = (i * 10) % 100
            yield x[start:start + 10], y[start:start + 10]

    model = spy_model(log)
    model.compile("sgd", "mse")
    history = model.fit(forever(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    starts = [b[0] for b in train_batches(log)]
    assert starts == [0, 10, 20, 30, 40, 50]  # epoch 2 goes on where epoch 1 stopped


def test_steps_per_epoch_none_runs_finite_iterable_to_exhaustion():  # 102
    log = []
    x, y = indexed_data(50)
    model = spy_model(log)
    model.compile("sgd", "mse")

    class Batches:  # re-iterable: each epoch starts a fresh pass
        def __iter__(self):
            return iter([(x[i:i + 20], y[i:i + 20]) for i in range(0, 50, 20)])

    model.fit(Batches(), epochs=2, verbose=0)
    assert [len(b) for b in train_batches(log)] == [20, 20, 10] * 2


def test_one_shot_generator_without_steps_stops_after_it_is_spent():  # 102
    x, y = indexed_data(50)
    model = _compiled()
    history = model.fit(((x[i:i + 25], y[i:i + 25]) for i in (0, 25)), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1
    assert int(model.optimizer.iterations) == 2


def test_steps_per_epoch_with_arrays_takes_that_many_batches():  # 103
    log = []
    x, y = indexed_data(100)
    model = spy_model(log)
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=10, steps_per_epoch=3, epochs=2, shuffle=False, verbose=0)
    assert [b[0] for b in train_batches(log)] == [0, 10, 20, 0, 10, 20]
    k_model = _model(keras)
    k_model.compile("sgd", "mse")
    theirs = k_model.fit(x, y, batch_size=10, steps_per_epoch=3, epochs=2, verbose=0)
    assert len(theirs.history["loss"]) == 2


def test_sequence_without_steps_gives_len_steps():  # 104
    log = []
    x, y = indexed_data(60)

    class Batches(kk.utils.Sequence):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 15:(i + 1) * 15], y[i * 15:(i + 1) * 15]

    model = spy_model(log)
    model.compile("sgd", "mse")
    recorder = HookRecorder()
    model.fit(Batches(), epochs=1, verbose=0, callbacks=[recorder], shuffle=False)
    assert len(train_batches(log)) == 4
    assert len(recorder.hooks("train_batch_end")) == 4


def test_steps_per_epoch_minus_one_trains_until_stopped():  # 105
    x, y = indexed_data(20)

    def forever():
        while True:
            yield x[:10], y[:10]

    class StopAfter(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 6:
                self.model.stop_training = True

    model = _compiled()
    history = model.fit(forever(), steps_per_epoch=-1, epochs=3, verbose=0,
                        callbacks=[StopAfter()])
    assert len(history.history["loss"]) == 1
    assert int(model.optimizer.iterations) == 7


def test_train_batch_end_logs_have_loss_and_metrics():  # 107
    x, y = indexed_data()
    model = _compiled(metrics=["mae", "mse"])
    recorder = HookRecorder()
    model.fit(x, y, batch_size=50, epochs=1, verbose=0, callbacks=[recorder])
    ends = recorder.hooks("train_batch_end")
    assert [e[1] for e in ends] == [0, 1]
    assert all(e[2] == ["loss", "mae", "mse"] for e in ends)


def test_batch_logs_match_keras():  # 107, differential
    class Keep(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.logs = []

        def on_train_batch_end(self, batch, logs=None):
            self.logs.append(dict(logs))

    class KeepOurs(callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.logs = []

        def on_train_batch_end(self, batch, logs=None):
            self.logs.append(dict(logs))

    x, y = indexed_data(60)
    k_model, kk_model = _model(keras), _model()
    kk_model.set_weights(k_model.get_weights())
    k_model.compile("sgd", "mse", metrics=["mae"])
    kk_model.compile("sgd", "mse", metrics=["mae"])
    theirs, ours = Keep(), KeepOurs()
    k_model.fit(x, y, batch_size=20, shuffle=False, verbose=0, callbacks=[theirs])
    kk_model.fit(x, y, batch_size=20, shuffle=False, verbose=0, callbacks=[ours])
    assert len(ours.logs) == len(theirs.logs) == 3
    for a, b in zip(ours.logs, theirs.logs):
        assert set(a) == set(b)
        for key in b:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-4)


def test_fit_builds_a_delayed_build_sequential():
    x, y = indexed_data()
    model = kk.Sequential([layers.Dense(4), layers.Dense(1)])
    model.compile("sgd", "mse")
    assert not model.built
    model.fit(x, y, verbose=0)
    assert model.built and model.layers[0].kernel.shape == (3, 4)
