"""`Model.predict`: NumPy results, structure, batching, steps, callbacks (catalogue 3.7)."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _x(n=100, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 3)).astype("float32")


def _mlp(lib):
    inp = lib.Input((3,))
    hidden = lib.layers.Dense(4, activation="relu")(inp)
    return lib.Model(inp, lib.layers.Dense(2)(hidden))


class PredictSpy(kk.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_predict_begin(self, logs=None):
        self.events.append("begin")

    def on_predict_batch_end(self, batch, logs=None):
        self.events.append(("batch", batch, np.shape(logs["outputs"])))

    def on_predict_end(self, logs=None):
        self.events.append("end")


def test_returns_numpy_array_matching_keras():  # 133
    x = _x()
    k, ours = _mlp(keras), _mlp(kk)
    ours.set_weights(k.get_weights())
    out = ours.predict(x, verbose=0)
    assert type(out) is np.ndarray and out.shape == (100, 2)
    np.testing.assert_allclose(out, k.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_multi_output_returns_list_and_dict_output_returns_dict():  # 134
    x = _x(10)
    inp = kk.Input((3,))
    a, b = kk.layers.Dense(2)(inp), kk.layers.Dense(5)(inp)
    as_list = kk.Model(inp, [a, b]).predict(x, verbose=0)
    assert isinstance(as_list, list) and [o.shape for o in as_list] == [(10, 2), (10, 5)]
    assert all(type(o) is np.ndarray for o in as_list)
    as_dict = kk.Model(inp, {"first": a, "second": b}).predict(x, verbose=0)
    assert isinstance(as_dict, dict) and sorted(as_dict) == ["first", "second"]
    np.testing.assert_allclose(as_dict["second"], as_list[1], rtol=1e-6)


def test_default_batch_size_32_keeps_rows_in_order():  # 135
    x = _x(100)
    model = _mlp(kk)
    spy = PredictSpy()
    out = model.predict(x, verbose=0, callbacks=[spy])
    batches = [e for e in spy.events if isinstance(e, tuple)]
    assert [b[1] for b in batches] == [0, 1, 2, 3]
    assert [b[2][0] for b in batches] == [32, 32, 32, 4]
    np.testing.assert_allclose(out, np.asarray(model(x)), rtol=1e-5, atol=1e-6)


def test_result_does_not_depend_on_batch_size():  # 136
    x = _x(40)
    model = _mlp(kk)
    np.testing.assert_allclose(model.predict(x, batch_size=1, verbose=0),
                               model.predict(x, batch_size=32, verbose=0), rtol=1e-5, atol=1e-6)


def test_default_verbosity_is_auto_and_zero_is_silent(capsys):  # 137 (decision 2)
    x = _x(40)
    model = _mlp(kk)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""
    model.predict(x)
    assert "2/2" in capsys.readouterr().out


def _batches(x, size=10):
    for i in range(0, len(x), size):
        yield (x[i:i + size],)


def test_steps_on_a_finite_iterable():  # 138
    x = _x(50)
    model = _mlp(kk)
    np.testing.assert_allclose(model.predict(_batches(x), verbose=0),
                               model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    two = model.predict(_batches(x), steps=2, verbose=0)
    assert two.shape == (20, 2)
    np.testing.assert_allclose(two, model.predict(x[:20], verbose=0), rtol=1e-5, atol=1e-6)


def test_iterator_yielding_x_y_uses_only_x():  # 138 with the unpacking rules
    x = _x(20)
    model = _mlp(kk)
    pairs = [(x[:10], np.zeros((10, 2))), (x[10:], np.zeros((10, 2)))]
    np.testing.assert_allclose(model.predict(iter(pairs), verbose=0),
                               model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_predict_equals_call_in_inference_mode_with_dropout_and_batchnorm():  # 139
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype("float32") * 3 + 1
    y = rng.normal(size=(64, 2)).astype("float32")
    inp = kk.Input((3,))
    h = kk.layers.Dense(8)(inp)
    h = kk.layers.BatchNormalization()(h)
    h = kk.layers.Dropout(0.5)(h)
    model = kk.Model(inp, kk.layers.Dense(2)(h))
    model.compile("adam", "mse")
    model.fit(x, y, epochs=2, verbose=0)  # moving statistics move away from their defaults
    out = model.predict(x, verbose=0)
    np.testing.assert_allclose(out, np.asarray(model(x, training=False)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, model.predict_on_batch(x), rtol=1e-5, atol=1e-5)
    assert not np.allclose(out, np.asarray(model(x, training=True)), atol=1e-3)


def test_predict_reuses_the_cached_jitted_forward():
    x = _x(40)
    model = _mlp(kk)
    model.predict(x, verbose=0)
    fns = model.make_predict_function()
    builds = model._trainer.builds["predict"]
    model.predict(x, verbose=0)
    model.predict_on_batch(x[:5])
    assert model.make_predict_function() is fns
    assert model._trainer.builds["predict"] == builds


def test_wrong_input_shape_raises():  # 141
    model = _mlp(kk)
    with pytest.raises(ValueError, match="expected shape \\(None, 3\\)"):
        model.predict(np.zeros((4, 5), "float32"), verbose=0)


def test_predict_works_on_an_uncompiled_model():  # 142
    model = _mlp(kk)
    assert not model.compiled
    assert model.predict(_x(5), verbose=0).shape == (5, 2)


def test_callbacks_get_predict_hooks():  # 143
    spy = PredictSpy()
    _mlp(kk).predict(_x(40), verbose=0, callbacks=[spy])
    assert spy.events == ["begin", ("batch", 0, (32, 2)), ("batch", 1, (8, 2)), "end"]


def test_predict_builds_a_subclassed_model_on_first_use():
    class Net(kk.Model):
        def __init__(self):
            super().__init__()
            self.dense = kk.layers.Dense(2)

        def call(self, x):
            return self.dense(x) * 2.0

    model = Net()
    out = model.predict(_x(6), verbose=0)
    assert out.shape == (6, 2)
    np.testing.assert_allclose(out, np.asarray(model(_x(6))), rtol=1e-6)


def test_predict_then_compile_then_fit_rebuilds_the_steps():
    """Compiling adds metric variables (a new structure) after predict built its steps."""
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
    x = np.ones((8, 3), "float32")
    model.predict(x, batch_size=4, verbose=0)  # two batches: builds the step functions
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(x, np.zeros((8, 2), "float32"), epochs=2, verbose=0)
    assert len(history.history["mae"]) == 2
