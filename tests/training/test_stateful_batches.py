"""Statement 140: a stateful model given N samples, N not a multiple of the batch size, is
refused with a ValueError before any batch runs (and only when a stateful layer exists)."""

import numpy as np
import pytest

import kernelkit as kk


def _model(stateful=True):
    model = kk.Sequential([kk.Input(batch_shape=(4, 3, 2)),
                           kk.layers.SimpleRNN(5, stateful=stateful, name="memory"),
                           kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _data(n):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3, 2)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_a_partial_last_batch_is_refused_before_anything_runs(method):
    model = _model()
    x, y = _data(10)
    weights = [w.copy() for w in model.get_weights()]
    states = np.asarray(model.layers[0].states[0]).copy()
    args = (x,) if method == "predict" else (x, y)
    with pytest.raises(ValueError, match=r"stateful layers \(SimpleRNN 'memory'\).*10 samples "
                                         r"with batch_size=4 \(2 left over"):
        getattr(model, method)(*args, batch_size=4, verbose=0)
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(states, np.asarray(model.layers[0].states[0]))


def test_validation_data_is_checked_too():
    model = _model()
    x, y = _data(8)
    with pytest.raises(ValueError, match=r"fit \(validation data\).*6 samples"):
        model.fit(x, y, batch_size=4, validation_data=_data(6), verbose=0)


def test_whole_batches_and_models_without_stateful_layers_run():
    x, y = _data(8)
    stateful = _model()
    stateful.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert stateful.predict(x, batch_size=4, verbose=0).shape == (8, 1)
    x10, _ = _data(10)
    assert stateful.predict(x10, batch_size=4, steps=2, verbose=0).shape == (8, 1)
    plain = kk.Sequential([kk.Input((3, 2)), kk.layers.SimpleRNN(5), kk.layers.Dense(1)])
    plain.compile("sgd", "mse")
    plain.fit(*_data(10), batch_size=4, verbose=0)
    assert plain.predict(x10, batch_size=4, verbose=0).shape == (10, 1)
