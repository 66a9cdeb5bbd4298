"""`fit` with `use_ema=True` ends with the moving average in the model, as Keras 3's does."""

import numpy as np

import kernelkit as kk
from tests.keras_oracle import keras


def _model(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="tanh"),
                           lib.layers.Dense(1)])


def test_fit_with_use_ema_leaves_the_moving_average_like_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x[:, :1] - x[:, 1:2]
    theirs, ours = _model(keras), _model(kk)
    ours.set_weights(theirs.get_weights())
    theirs.compile(keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9), "mse")
    ours.compile(kk.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.9), "mse")
    k_hist = theirs.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    o_hist = ours.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(o_hist.history["loss"], k_hist.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_fit_without_ema_keeps_the_trained_weights():
    x = np.ones((8, 4), "float32")
    model = _model(kk)
    model.compile(kk.optimizers.SGD(0.1), "mse")
    model.fit(x, np.ones((8, 1), "float32"), epochs=1, verbose=0)
    after = [w.copy() for w in model.get_weights()]
    assert np.isfinite(model.evaluate(x, np.ones((8, 1), "float32"), verbose=0))
    for a, b in zip(model.get_weights(), after):
        np.testing.assert_array_equal(a, b)
