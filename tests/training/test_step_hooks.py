"""Step hooks, `make_*_function` caching, callbacks and `History` (catalogue 3.10, 3.11)."""

import json

import numpy as np
import optax
import pytest

import kernelkit as kk


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _build(cls=kk.Model, metrics=None, **compile_kwargs):
    inp = kk.Input((3,))
    model = cls(inp, kk.layers.Dense(2)(inp))
    model.compile(compile_kwargs.pop("optimizer", "sgd"), "mse", metrics=metrics,
                  **compile_kwargs)
    return model


class LogsSpy(kk.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.train, self.test = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.train.append(dict(logs))

    def on_test_batch_end(self, batch, logs=None):
        self.test.append(dict(logs))


def test_history_values_are_python_floats():  # 161
    x, y = _data()
    h = _build(metrics=["mae"]).fit(x, y, epochs=2, validation_data=(x, y), verbose=0)
    assert sorted(h.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(type(v) is float for values in h.history.values() for v in values)
    assert json.loads(json.dumps(h.history)) == h.history


class ConstantStep(kk.Model):
    def train_step(self, data):
        return {"my_metric": 1.0, "twice": 2.0}

    def test_step(self, data):
        x, y = data
        return {"gap": (self(x) - y).mean()}


def test_overridden_train_step_drives_logs_and_history():  # 162, 164
    x, y = _data()
    model = _build(ConstantStep)
    before = model.get_weights()
    spy = LogsSpy()
    h = model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[spy])
    assert h.history == {"my_metric": [1.0] * 3, "twice": [2.0] * 3}
    assert spy.train == [{"my_metric": 1.0, "twice": 2.0}] * 12
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_overridden_test_step_gives_the_test_batch_logs():  # 163
    x, y = _data()
    model = _build(ConstantStep)
    spy = LogsSpy()
    result = model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[spy])
    expected = float(np.mean(model.predict(x[16:], verbose=0) - y[16:]))
    assert [sorted(logs) for logs in spy.test] == [["gap"], ["gap"]]
    assert spy.test[-1]["gap"] == pytest.approx(expected, rel=1e-5)
    assert result == pytest.approx(expected, rel=1e-5)


class Counting(kk.Model):
    calls = None

    def train_step(self, data):
        self.calls["train"].append(len(data))
        return super().train_step(data)

    def test_step(self, data):
        self.calls["test"].append(len(data))
        return super().test_step(data)

    def predict_step(self, data):
        self.calls["predict"].append(1)
        return super().predict_step(data)


def _counting():
    Counting.calls = {"train": [], "test": [], "predict": []}
    return _build(Counting, run_eagerly=True)


def test_fit_and_train_on_batch_call_train_step():  # 165, 168
    x, y = _data()
    model = _counting()
    model.fit(x, y, batch_size=8, verbose=0)
    assert Counting.calls["train"] == [2] * 4  # (x, y)
    model.fit(x, y, sample_weight=np.ones(32, "float32"), batch_size=16, verbose=0)
    assert Counting.calls["train"][4:] == [3] * 2  # (x, y, sample_weight)
    model.train_on_batch(x, y)
    assert len(Counting.calls["train"]) == 7


def test_evaluate_and_test_on_batch_call_test_step():  # 166
    x, y = _data()
    model = _counting()
    model.evaluate(x, y, batch_size=8, verbose=0)
    model.test_on_batch(x, y)
    assert len(Counting.calls["test"]) == 5
    assert Counting.calls["train"] == []


def test_predict_and_predict_on_batch_call_predict_step():  # 167
    x, _ = _data()
    model = _counting()
    model.predict(x, batch_size=8, verbose=0)
    model.predict_on_batch(x)
    assert len(Counting.calls["predict"]) == 5


def test_predict_concatenates_predict_step_outputs():  # 167
    class Sevens(kk.Model):
        def predict_step(self, data):
            return self(data[0]) * 0.0 + 7.0

    x, _ = _data(20)
    out = _build(Sevens).predict(x, batch_size=8, verbose=0)
    np.testing.assert_array_equal(out, np.full((20, 2), 7.0, "float32"))


def test_step_runs_under_jit_by_default():
    x, y = _data()
    Counting.calls = {"train": [], "test": [], "predict": []}
    model = _build(Counting, steps_per_execution=1)
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert len(Counting.calls["train"]) < 8  # traced, not called per step


def test_make_train_function_is_cached_until_compile():  # 169, 170
    x, y = _data()
    model = _build()
    model.fit(x, y, verbose=0)
    fn = model.make_train_function()
    builds = model._trainer.builds["train"]
    model.fit(x, y, verbose=0)
    assert model.make_train_function() is fn
    assert model._trainer.builds["train"] == builds
    model.compile("sgd", "mse")
    assert model.make_train_function() is not fn
    assert model._trainer.builds["train"] == builds + 1


def test_make_train_function_force_rebuilds():  # 171
    model = _build()
    model.fit(*_data(), verbose=0)
    fn = model.make_train_function()
    assert model.make_train_function(force=True) is not fn
    assert model.make_test_function(force=True) is not model.make_test_function(force=True)


def test_train_function_takes_an_iterator_and_returns_logs():  # 172
    x, y = _data()
    model = _build(metrics=["mae"])
    model.fit(x, y, verbose=0)
    before = model.get_weights()
    logs = model.make_train_function()(iter([(x[:8], y[:8])]))
    assert sorted(logs) == ["loss", "mae"] and all(type(v) is float for v in logs.values())
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    test_logs = model.make_test_function()(iter([(x, y)]))
    assert sorted(test_logs) == ["loss", "mae"]
    out = model.make_predict_function()(iter([(x[:4],)]))
    assert out.shape == (4, 2)


def test_custom_train_step_with_apply_gradients_matches_the_default():
    class Custom(kk.Model):
        def train_step(self, data):
            x, y = data
            loss, y_pred, grads = self.compute_loss_and_gradients(x, y)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return self.compute_metrics(x, y, y_pred)

    x, y = _data(64)
    custom, default = _build(Custom, optimizer="adam"), _build(optimizer="adam")
    default.set_weights(custom.get_weights())
    h1 = custom.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    h2 = default.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    for a, b in zip(custom.get_weights(), default.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(custom.optimizer.iterations) == 8
    custom.train_on_batch(x, y)
    assert int(custom.optimizer.iterations) == 9


def test_compute_loss_and_gradients_outside_a_step_raises():
    x, y = _data(4)
    model = _build()
    with pytest.raises(RuntimeError, match="works inside train_step"):
        model.compute_loss_and_gradients(x, y)
    with pytest.raises(RuntimeError, match="runs inside fit\\(\\) or train_on_batch\\(\\)"):
        model.train_step((x, y))


def test_raw_optax_optimizer_with_default_step():
    x, y = _data()
    model = _build(optimizer=optax.sgd(0.1))
    h = model.fit(x, y, epochs=3, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
