"""Differential tests against Keras 3 (JAX backend): same weights, data and optimizer in,
the same per-epoch logs, weights, evaluate and predict results out."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RTOL = 1e-4


def _mlp(lib):
    return lib.Sequential([lib.Input((8,)), lib.layers.Dense(16, activation="relu"),
                           lib.layers.Dense(3)])


def _cnn(lib):
    return lib.Sequential([
        lib.Input((10, 10, 1)),
        lib.layers.Conv2D(4, 3, activation="relu"),
        lib.layers.MaxPooling2D(2),
        lib.layers.Conv2D(6, 3, activation="relu"),
        lib.layers.Flatten(),
        lib.layers.Dense(3),
    ])


def _data(kind, n=96):
    rng = np.random.default_rng(0)
    shape = (n, 8) if kind == "mlp" else (n, 10, 10, 1)
    x = rng.normal(size=shape).astype("float32")
    y = rng.integers(0, 3, size=(n,))
    w = rng.uniform(0.1, 1.0, size=(n,)).astype("float32")
    return x, y, w


def _pair(kind, optimizer):
    build = _mlp if kind == "mlp" else _cnn
    k_model, kk_model = build(keras), build(kk)
    kk_model.set_weights(k_model.get_weights())
    k_model.compile(optimizer, keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=["accuracy"])
    kk_model.compile(optimizer, kk.losses.SparseCategoricalCrossentropy(from_logits=True),
                     metrics=["accuracy"])
    return k_model, kk_model


def _assert_history_close(ours, theirs):
    assert set(ours.history) == set(theirs.history)
    for key in theirs.history:
        np.testing.assert_allclose(ours.history[key], theirs.history[key], rtol=RTOL,
                                   atol=1e-6, err_msg=key)


# Every optimizer and weighting on the MLP; on the (slower) CNN every optimizer unweighted and
# every weighting under Adam.
CASES = ([("mlp", o, w) for o in ("sgd", "adam", "rmsprop")
          for w in ("none", "class_weight", "sample_weight")]
         + [("cnn", o, "none") for o in ("sgd", "adam", "rmsprop")]
         + [("cnn", "adam", w) for w in ("class_weight", "sample_weight")])


@pytest.mark.parametrize("kind, optimizer, weighting", CASES)
def test_fit_matches_keras(kind, optimizer, weighting):
    x, y, w = _data(kind)
    k_model, kk_model = _pair(kind, optimizer)
    kwargs = {"epochs": 2, "batch_size": 16, "shuffle": False, "verbose": 0,
              "validation_split": 0.25}
    if weighting == "class_weight":
        kwargs["class_weight"] = {0: 1.0, 1: 2.5, 2: 0.5}
    if weighting == "sample_weight":
        kwargs["sample_weight"] = w
    _assert_history_close(kk_model.fit(x, y, **kwargs), k_model.fit(x, y, **kwargs))
    for ours, theirs in zip(kk_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-5)
    np.testing.assert_allclose(kk_model.evaluate(x, y, verbose=0),
                               k_model.evaluate(x, y, verbose=0), rtol=RTOL)
    np.testing.assert_allclose(kk_model.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               rtol=RTOL, atol=1e-5)


def test_multi_output_losses_weights_and_metrics_match_keras():
    def build(lib):
        inp = lib.Input((6,), name="x")
        h = lib.layers.Dense(8, activation="tanh", name="h")(inp)
        a = lib.layers.Dense(1, name="a")(h)
        b = lib.layers.Dense(2, activation="softmax", name="b")(h)
        return lib.Model(inp, [a, b])

    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 6)).astype("float32")
    ya = rng.normal(size=(40, 1)).astype("float32")
    yb = np.eye(2)[rng.integers(0, 2, size=40)].astype("float32")
    k_model, kk_model = build(keras), build(kk)
    kk_model.set_weights(k_model.get_weights())
    for model in (k_model, kk_model):
        model.compile("adam", loss=["mse", "categorical_crossentropy"], loss_weights=[0.5, 2.0],
                      metrics=[["mae"], ["accuracy"]])
    kwargs = {"epochs": 2, "batch_size": 8, "shuffle": False, "verbose": 0}
    ours, theirs = kk_model.fit(x, [ya, yb], **kwargs), k_model.fit(x, [ya, yb], **kwargs)
    for key in ("loss", "a_loss", "b_loss", "a_mae", "b_accuracy"):
        np.testing.assert_allclose(ours.history[key], theirs.history[key], rtol=RTOL,
                                   err_msg=key)
