"""Legacy shims: `*_generator`, `predict_classes`, `predict_proba`, `reset_states`
(catalogue 3.22, decision 18)."""

import threading

import numpy as np
import pytest

import kernelkit as kk


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _build(units=2, activation=None):
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(units, activation=activation)(inp))
    model.compile("sgd", "mse")
    return model


def _looping(x, y, size=10):
    while True:
        for i in range(0, len(x), size):
            yield x[i:i + size], y[i:i + size]


class Batches(kk.utils.Sequence):
    def __init__(self, x, y, size=10, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.size = x, y, size
        self.seen = []

    def __len__(self):
        return len(self.x) // self.size

    def __getitem__(self, i):
        self.seen.append(i)
        return self.x[i * self.size:(i + 1) * self.size], self.y[i * self.size:(i + 1) * self.size]


def test_fit_generator_warns_and_equals_fit():  # 250
    x, y = _data()
    a, b = _build(), _build()
    b.set_weights(a.get_weights())
    with pytest.warns(DeprecationWarning, match="fit_generator is deprecated"):
        h1 = a.fit_generator(_looping(x, y), steps_per_epoch=4, epochs=2, verbose=0)
    h2 = b.fit(_looping(x, y), steps_per_epoch=4, epochs=2, verbose=0)
    assert h1.history["loss"] == pytest.approx(h2.history["loss"], rel=1e-6)
    for w1, w2 in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(w1, w2, rtol=1e-6)


def test_fit_generator_with_a_sequence_runs_len_steps():  # 251
    x, y = _data()
    seq = Batches(x, y)
    seen = []

    class Count(kk.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    with pytest.warns(DeprecationWarning):
        _build().fit_generator(seq, epochs=1, verbose=0, shuffle=False, callbacks=[Count()])
    assert seen == [0, 1, 2, 3]
    assert sorted(seq.seen[-4:]) == [0, 1, 2, 3]


def test_workers_zero_runs_the_generator_on_the_main_thread():  # 252
    x, y = _data()
    threads = set()

    def gen():
        for batch in _looping(x, y):
            threads.add(threading.current_thread().name)
            yield batch

    with pytest.warns(DeprecationWarning):
        _build().fit_generator(gen(), steps_per_epoch=3, workers=0, verbose=0)
    assert threads == {threading.main_thread().name}
    seq = Batches(x, y)
    with pytest.warns(DeprecationWarning):
        _build().evaluate_generator(seq, workers=0)
    assert seq.workers == 0


def test_shuffle_changes_sequence_batch_order_only():  # 253
    x, y = _data(200)
    seq = Batches(x, y)
    with pytest.warns(DeprecationWarning):
        _build().fit_generator(seq, epochs=3, shuffle=True, workers=0, verbose=0)
    seen = seq.seen[-60:]  # before them, fit peeks at one batch to build the model
    orders = [seen[i:i + 20] for i in range(0, 60, 20)]
    assert all(sorted(order) == list(range(20)) for order in orders)
    assert any(order != list(range(20)) for order in orders)
    plain = Batches(x, y)
    with pytest.warns(DeprecationWarning):
        _build().fit_generator(plain, epochs=2, shuffle=False, workers=0, verbose=0)
    assert plain.seen[-40:] == list(range(20)) * 2


@pytest.mark.parametrize("bad", ["text", (np.zeros((2, 3)),) * 5])
def test_bad_batch_structure_raises(bad):  # 254
    def gen():
        while True:
            yield bad

    with pytest.warns(DeprecationWarning), pytest.raises(ValueError):
        _build().fit_generator(gen(), steps_per_epoch=2, verbose=0)


def test_batches_of_different_sizes_and_mismatched_lengths():  # 255
    x, y = _data(39)

    def uneven():
        yield x[:32], y[:32]
        yield x[32:], y[32:]

    with pytest.warns(DeprecationWarning):
        h = _build().fit_generator(uneven(), steps_per_epoch=2, verbose=0)
    assert len(h.history["loss"]) == 1

    def mismatched():
        yield x[:32], y[:31]

    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="different lengths"):
        _build().fit_generator(mismatched(), steps_per_epoch=1, verbose=0)


def test_evaluate_and_predict_generator_equal_the_modern_methods():
    x, y = _data()
    model = _build()
    with pytest.warns(DeprecationWarning, match="evaluate_generator is deprecated"):
        loss = model.evaluate_generator(_looping(x, y), steps=4)
    assert loss == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)
    with pytest.warns(DeprecationWarning, match="predict_generator is deprecated"):
        out = model.predict_generator(((xb,) for xb, _ in _looping(x, y)), steps=4)
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_predict_classes_and_predict_proba():
    x, _ = _data(12)
    multi = _build(4, "softmax")
    with pytest.warns(DeprecationWarning, match="predict_classes is deprecated"):
        classes = multi.predict_classes(x)
    np.testing.assert_array_equal(classes, np.argmax(multi.predict(x, verbose=0), -1))
    binary = _build(1, "sigmoid")
    with pytest.warns(DeprecationWarning):
        labels = binary.predict_classes(x)
    np.testing.assert_array_equal(labels, (binary.predict(x, verbose=0) > 0.5).astype("int32"))
    with pytest.warns(DeprecationWarning, match="predict_proba is deprecated"):
        proba = multi.predict_proba(x)
    np.testing.assert_allclose(proba, multi.predict(x, verbose=0), rtol=1e-6)


def test_reset_states_resets_stateful_layers():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    inp = kk.Input(batch_shape=(2, 4, 3))
    model = kk.Model(inp, kk.layers.SimpleRNN(5, stateful=True)(inp))
    first = np.asarray(model(x))
    second = np.asarray(model(x))
    assert not np.allclose(first, second)
    model.reset_states()
    np.testing.assert_allclose(np.asarray(model(x)), first, rtol=1e-5, atol=1e-6)
