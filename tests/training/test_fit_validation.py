"""`fit()` validation: split, data, frequency, batch size and steps (catalogue 3.4, 71-85)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras
from tests.training.fit_spies import (
    HookRecorder,
    eval_batches,
    indexed_data,
    spy_model,
    train_batches,
)


def _spied(log):
    model = spy_model(log)
    model.compile("sgd", "mse", metrics=["mae"])
    return model


@pytest.mark.parametrize("shuffle", [False, True])
def test_validation_split_takes_the_last_samples_before_shuffling(shuffle):  # 71, 72, 73
    log = []
    x, y = indexed_data(100)
    _spied(log).fit(x, y, validation_split=0.2, epochs=2, shuffle=shuffle, batch_size=16,
                    verbose=0)
    trained = sum(train_batches(log), [])
    validated = eval_batches(log)
    assert sorted(trained) == sorted(list(range(80)) * 2)
    assert [sorted(sum(validated[:len(validated) // 2], [])),
            sorted(sum(validated[len(validated) // 2:], []))] == [list(range(80, 100))] * 2
    assert all(i < 80 for i in trained)


def test_validation_split_matches_keras_loss():  # 71
    x, y = indexed_data(50)
    k_model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model = kk.Sequential([kk.Input((3,)), layers.Dense(1)])
    model.set_weights(k_model.get_weights())
    for m in (k_model, model):
        m.compile("sgd", "mse")
    kwargs = {"validation_split": 0.3, "epochs": 2, "shuffle": False, "verbose": 0,
              "batch_size": 8}
    ours, theirs = model.fit(x, y, **kwargs).history, k_model.fit(x, y, **kwargs).history
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, err_msg=key)


@pytest.mark.parametrize("split", [0.99, 1.0, -0.5, 1.5])
def test_bad_validation_split_raises(split):
    x, y = indexed_data(10)
    model = _spied([])
    match = (r"leaves no samples" if 0 < split < 1
             else r"validation_split must be a float between 0 and 1")
    with pytest.raises(ValueError, match=match):
        model.fit(x, y, validation_split=split, verbose=0)


def test_validation_split_with_a_generator_raises():  # 74
    x, y = indexed_data(20)
    with pytest.raises(ValueError, match=r"`validation_split` only works with arrays"):
        _spied([]).fit(iter([(x, y)]), validation_split=0.2, verbose=0)


def test_validation_data_overrides_validation_split():  # 75
    log = []
    x, y = indexed_data(100)
    xv, yv = indexed_data(30)
    xv[:, 0] += 1000
    _spied(log).fit(x, y, validation_data=(xv, yv), validation_split=0.5, shuffle=False,
                    verbose=0)
    assert sum(train_batches(log), []) == list(range(100))
    assert sum(eval_batches(log), []) == list(range(1000, 1030))


def test_val_loss_equals_evaluate_after_fit():  # 76
    x, y = indexed_data(64)
    xv, yv = indexed_data(40)
    model = _spied([])
    history = model.fit(x, y, validation_data=(xv, yv), epochs=2, verbose=0)
    loss, mae = model.evaluate(xv, yv, verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(loss, rel=1e-5)
    assert history.history["val_mae"][-1] == pytest.approx(mae, rel=1e-5)


def test_validation_sample_weights_apply_to_val_loss():  # 77
    x, y = indexed_data(64)
    xv, yv = indexed_data(40)
    wv = np.linspace(0.0, 2.0, 40).astype("float32")
    model = _spied([])
    history = model.fit(x, y, validation_data=(xv, yv, wv), epochs=1, verbose=0)
    weighted = model.evaluate(xv, yv, sample_weight=wv, verbose=0)[0]
    plain = model.evaluate(xv, yv, verbose=0)[0]
    assert history.history["val_loss"][0] == pytest.approx(weighted, rel=1e-5)
    assert weighted != pytest.approx(plain, rel=1e-3)


class _ValSequence(kk.utils.PyDataset):
    def __init__(self, x, y, size):
        super().__init__()
        self.x, self.y, self.size = x, y, size

    def __len__(self):
        return -(-len(self.x) // self.size)

    def __getitem__(self, i):
        s = slice(i * self.size, (i + 1) * self.size)
        return self.x[s], self.y[s]


@pytest.mark.parametrize("form", ["generator", "pydataset", "iterable", "list"])
def test_validation_data_forms(form):  # 78, decision 6.16
    x, y = indexed_data(64)
    xv, yv = indexed_data(40)
    model = _spied([])
    if form == "generator":
        data = ((xv[i:i + 10], yv[i:i + 10]) for i in range(0, 40, 10))
    elif form == "pydataset":
        data = _ValSequence(xv, yv, 10)
    elif form == "iterable":
        data = map(lambda i: (xv[i:i + 10], yv[i:i + 10]), range(0, 40, 10))
    else:
        data = [xv, yv]
    history = model.fit(x, y, validation_data=data, epochs=1, verbose=0)
    expected = model.evaluate(xv, yv, verbose=0)[0]
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("bad", [(np.zeros((4, 3)),), "val.npz", 3])
def test_bad_validation_data_raises(bad):
    x, y = indexed_data(16)
    with pytest.raises(ValueError, match=r"validation_data must be a tuple \(x_val, y_val\)"):
        _spied([]).fit(x, y, validation_data=bad, verbose=0)


def test_validation_runs_in_inference_mode():  # 79
    x, y = indexed_data(64)
    model = kk.Sequential([kk.Input((3,)), layers.Dense(8), layers.Dropout(0.9),
                           layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(x, y, validation_data=(x, y), epochs=1, verbose=0)
    again = model.evaluate(x, y, verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(again, rel=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(again, rel=1e-6)


def test_validation_runs_after_the_last_training_batch():  # 80
    x, y = indexed_data(40)
    recorder = HookRecorder()
    _spied([]).fit(x, y, batch_size=10, validation_data=(x[:20], y[:20]), epochs=2,
                   validation_batch_size=10, verbose=0, callbacks=[recorder])
    kinds = [e[0] for e in recorder.events if e[0] != "train_batch_begin"]
    epoch = ["epoch_begin"] + ["train_batch_end"] * 4 + ["test_batch_end"] * 2 + ["epoch_end"]
    assert kinds == epoch * 2
    assert recorder.hooks("epoch_end")[0][2] == ["loss", "mae", "val_loss", "val_mae"]


@pytest.mark.parametrize("freq, epochs_validated", [(2, [2, 4]), ([1, 3], [1, 3]),
                                                    ((4,), [4]), (1, [1, 2, 3, 4])])
def test_validation_freq(freq, epochs_validated):  # 81, 82
    x, y = indexed_data(40)
    recorder = HookRecorder()
    history = _spied([]).fit(x, y, validation_data=(x, y), validation_freq=freq, epochs=4,
                             verbose=0, callbacks=[recorder])
    assert len(history.history["val_loss"]) == len(epochs_validated)
    with_val = [e[1] + 1 for e in recorder.hooks("epoch_end") if "val_loss" in e[2]]
    assert with_val == epochs_validated


def test_validation_freq_matches_keras():  # 81
    x, y = indexed_data(40)
    k_model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    k_model.compile("sgd", "mse")
    theirs = k_model.fit(x, y, validation_data=(x, y), validation_freq=2, epochs=4, verbose=0)
    ours = _spied([]).fit(x, y, validation_data=(x, y), validation_freq=2, epochs=4, verbose=0)
    assert len(ours.history["val_loss"]) == len(theirs.history["val_loss"]) == 2


@pytest.mark.parametrize("val_batch, sizes", [(None, [16, 4]), (7, [7, 7, 6])])
def test_validation_batch_size_defaults_to_batch_size(val_batch, sizes):  # 83
    log = []
    x, y = indexed_data(40)
    _spied(log).fit(x, y, batch_size=16, validation_data=(x[:20], y[:20]),
                    validation_batch_size=val_batch, epochs=1, verbose=0)
    assert [len(b) for b in eval_batches(log)] == sizes


def test_validation_steps_restart_from_the_beginning_each_epoch():  # 84
    log = []
    x, y = indexed_data(50)
    xv = x.copy()
    xv[:, 0] += 1000

    class FiveBatches:
        def __iter__(self):
            return iter([(xv[i:i + 10], y[i:i + 10]) for i in range(0, 50, 10)])

    _spied(log).fit(x, y, validation_data=FiveBatches(), validation_steps=2, epochs=3,
                    verbose=0)
    starts = [b[0] for b in eval_batches(log)]
    assert starts == [1000, 1010] * 3


def test_validation_steps_with_a_pydataset_and_arrays():  # 84, decision 6.17
    log = []
    x, y = indexed_data(50)
    _spied(log).fit(x, y, validation_data=_ValSequence(x, y, 10), validation_steps=2,
                    epochs=2, verbose=0)
    assert [b[0] for b in eval_batches(log)] == [0, 10] * 2
    log.clear()
    _spied(log).fit(x, y, validation_data=(x, y), validation_steps=3, validation_batch_size=5,
                    epochs=2, verbose=0)
    assert [b[0] for b in eval_batches(log)] == [0, 5, 10] * 2


def test_validation_steps_none_consumes_everything():  # 85
    log = []
    x, y = indexed_data(50)
    _spied(log).fit(x, y, validation_data=_ValSequence(x, y, 15), epochs=1, verbose=0)
    assert sum(eval_batches(log), []) == list(range(50))
