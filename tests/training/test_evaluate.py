"""`Model.evaluate`: return forms, batching, weighting, callbacks, errors (catalogue 3.6)."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _data(n=100, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _model(lib, metrics=None, loss="mse"):
    inp = lib.Input((3,))
    model = lib.Model(inp, lib.layers.Dense(2, name="out")(inp))
    model.compile("sgd", loss, metrics=metrics)
    return model


def _pair(metrics=None):
    k, ours = _model(keras, metrics), _model(kk, metrics)
    ours.set_weights(k.get_weights())
    return k, ours


class BatchSpy(kk.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.test_batches, self.test_logs = [], []

    def on_test_batch_end(self, batch, logs=None):
        self.test_batches.append(batch)
        self.test_logs.append(dict(logs))


def test_single_output_no_metrics_returns_float_like_keras():  # 119
    x, y = _data()
    k, ours = _pair()
    value = ours.evaluate(x, y, verbose=0)
    assert isinstance(value, float)
    np.testing.assert_allclose(value, k.evaluate(x, y, verbose=0), rtol=1e-5)


def test_with_metrics_returns_list_in_metrics_names_order():  # 120, 159
    x, y = _data()
    k, ours = _pair(["mae", "mse"])
    values = ours.evaluate(x, y, verbose=0)
    assert isinstance(values, list) and len(values) == len(ours.metrics_names) == 3
    assert ours.metrics_names == ["loss", "mae", "mse"]
    np.testing.assert_allclose(values, k.evaluate(x, y, verbose=0), rtol=1e-5)
    as_dict = ours.evaluate(x, y, verbose=0, return_dict=True)
    assert [as_dict[n] for n in ours.metrics_names] == pytest.approx(values)


def test_two_outputs_no_metrics_returns_total_and_per_output_losses():  # 121
    x, y = _data()
    inp = kk.Input((3,))
    a = kk.layers.Dense(2, name="a")(inp)
    b = kk.layers.Dense(2, name="b")(inp)
    model = kk.Model(inp, [a, b])
    model.compile("sgd", ["mse", "mae"])
    total, la, lb = model.evaluate(x, [y, 2 * y], verbose=0)
    pa, pb = model.predict(x, verbose=0)
    np.testing.assert_allclose(la, np.mean((pa - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(lb, np.mean(np.abs(pb - 2 * y)), rtol=1e-5)
    np.testing.assert_allclose(total, la + lb, rtol=1e-5)


def test_return_dict_keys_equal_metrics_names():  # 122
    x, y = _data()
    k, ours = _pair(["mae"])
    result = ours.evaluate(x, y, verbose=0, return_dict=True)
    assert list(result) == ours.metrics_names == ["loss", "mae"]
    theirs = k.evaluate(x, y, verbose=0, return_dict=True)
    for name in ("loss", "mae"):
        np.testing.assert_allclose(result[name], theirs[name], rtol=1e-5)


def test_default_batch_size_is_32():  # 123
    x, y = _data(100)
    spy = BatchSpy()
    _model(kk).evaluate(x, y, verbose=0, callbacks=[spy])
    assert spy.test_batches == [0, 1, 2, 3]


def test_evaluate_leaves_weights_unchanged():  # 124
    x, y = _data()
    model = _model(kk, ["mae"])
    before = model.get_weights()
    model.evaluate(x, y, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_sample_weight_weights_the_loss_like_keras():  # 125
    x, y = _data()
    w = np.where(np.arange(100) < 50, 1.0, 0.0).astype("float32")
    k, ours = _pair()
    weighted = ours.evaluate(x, y, sample_weight=w, verbose=0)
    np.testing.assert_allclose(weighted, k.evaluate(x, y, sample_weight=w, verbose=0),
                               rtol=1e-5)
    per_sample = np.mean((ours.predict(x, verbose=0) - y) ** 2, axis=-1)
    # Keras's sum_over_batch_size: the weighted sum over all samples, divided by their count
    np.testing.assert_allclose(weighted, (per_sample * w).sum() / 100, rtol=1e-5)
    assert weighted != pytest.approx(ours.evaluate(x, y, verbose=0))


def _batches(x, y, size=10):
    for i in range(0, len(x), size):
        yield x[i:i + size], y[i:i + size]


def test_steps_limits_a_finite_iterable():  # 126
    x, y = _data(100)
    model = _model(kk)
    spy = BatchSpy()
    loss = model.evaluate(_batches(x, y), steps=2, verbose=0, callbacks=[spy])
    assert spy.test_batches == [0, 1]
    pred = model.predict(x[:20], verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred - y[:20]) ** 2), rtol=1e-5)


def test_steps_none_runs_until_the_iterable_is_exhausted():  # 127
    x, y = _data(100)
    model = _model(kk)
    spy = BatchSpy()
    loss = model.evaluate(_batches(x, y), verbose=0, callbacks=[spy])
    assert spy.test_batches == list(range(10))
    np.testing.assert_allclose(loss, model.evaluate(x, y, verbose=0), rtol=1e-5)


def test_callbacks_get_test_hooks_with_logs():  # 128
    x, y = _data(64)
    events = []

    class Hooks(kk.callbacks.Callback):
        def on_test_begin(self, logs=None):
            events.append("begin")

        def on_test_batch_begin(self, batch, logs=None):
            events.append(f"batch_begin_{batch}")

        def on_test_batch_end(self, batch, logs=None):
            events.append(f"batch_end_{batch}:{sorted(logs)}")

        def on_test_end(self, logs=None):
            events.append(f"end:{sorted(logs)}")

    _model(kk, ["mae"]).evaluate(x, y, verbose=0, callbacks=[Hooks()])
    assert events == ["begin", "batch_begin_0", "batch_end_0:['loss', 'mae']",
                      "batch_begin_1", "batch_end_1:['loss', 'mae']", "end:['loss', 'mae']"]


def test_verbose_zero_is_silent_and_two_writes_one_line(capsys):  # 129
    x, y = _data(64)
    model = _model(kk)
    model.evaluate(x, y, verbose=0)
    assert capsys.readouterr().out == ""
    model.evaluate(x, y, verbose=2)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1 and "loss" in lines[0]


def test_result_does_not_depend_on_batch_size():  # 130
    x, y = _data(100)
    model = _model(kk, ["mae"])
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=7, verbose=0),
                               model.evaluate(x, y, batch_size=100, verbose=0), rtol=1e-5)


def test_evaluate_before_compile_raises_not_compiled():  # 131
    x, y = _data(8)
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    with pytest.raises(kk.NotCompiledError, match="compile\\(\\) before evaluate"):
        model.evaluate(x, y, verbose=0)
    with pytest.raises(kk.NotCompiledError, match="compile\\(\\) before fit"):
        model.fit(x, y, verbose=0)
    with pytest.raises(RuntimeError):
        model.evaluate(x, y, verbose=0)
    with pytest.raises(ValueError):
        model.evaluate(x, y, verbose=0)


def test_y_with_an_iterator_x_raises():  # 132
    x, y = _data(20)
    with pytest.raises(ValueError, match="`y` must not be given"):
        _model(kk).evaluate(_batches(x, y), y, verbose=0)


def test_repeated_evaluate_starts_from_fresh_metrics():
    x, y = _data(64)
    model = _model(kk, ["mae"])
    first = model.evaluate(x, y, verbose=0)
    model.evaluate(x[:8] * 100, y[:8], verbose=0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(first)
