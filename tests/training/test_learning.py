"""Training learns: an MLP on scikit-learn's bundled digits reaches 95 % validation accuracy."""

import numpy as np
from sklearn.datasets import load_digits

import kernelkit as kk
from kernelkit import layers


def test_mlp_learns_digits():
    digits = load_digits()
    x = (digits.data / 16.0).astype("float32")  # (1797, 64)
    y = digits.target.astype("int32")
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    model = kk.Sequential([kk.Input((64,)), layers.Dense(64, activation="relu"),
                           layers.Dense(10, activation="softmax")])
    model.compile(kk.optimizers.Adam(learning_rate=3e-3), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=20, validation_split=0.2, verbose=0)
    assert history.history["val_accuracy"][-1] >= 0.95
    assert history.history["loss"][-1] < history.history["loss"][0] / 5
    held_out = int(np.floor(len(x) * 0.8))  # the last 20 %, as validation_split takes them
    predicted = model.predict(x[held_out:], verbose=0).argmax(-1)
    np.testing.assert_allclose((predicted == y[held_out:]).mean(),
                               history.history["val_accuracy"][-1], rtol=1e-6)
