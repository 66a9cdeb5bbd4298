"""`.keras` and `.weights.h5` files move both ways between Keras 3 and kernelkit."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.saving import load_model
from tests.keras_oracle import keras


def _sequential(lib):
    L = lib.layers
    return lib.Sequential([lib.Input((4,)), L.Dense(3, activation="relu"),
                           L.BatchNormalization(), L.Dropout(0.2), L.Dense(2)])


def _multi_io(lib):
    L = lib.layers
    seq_in = lib.Input((5, 7), name="seq")
    ids = lib.Input((3,), dtype="int32", name="ids")
    img = lib.Input((6, 6, 2), name="img")
    h = L.LSTM(6)(seq_in)
    e = L.Flatten()(L.Embedding(10, 2)(ids))
    c = L.Flatten()(L.Conv2D(3, 3)(img))
    merged = L.Concatenate()([h, e, c])
    return lib.Model([seq_in, ids, img], [L.Dense(2, name="out_a")(merged),
                                          L.Dense(1, name="out_b")(h)])


def _nested(lib):
    L = lib.layers
    inner = lib.Sequential([lib.Input((3,)), L.Dense(4), L.BatchNormalization()], name="inner")
    x = lib.Input((3,))
    return lib.Model(x, L.Dense(2)(inner(x)))


def _inputs(name):
    rng = np.random.default_rng(0)
    if name == "sequential":
        return rng.normal(size=(6, 4)).astype("float32")
    if name == "nested":
        return rng.normal(size=(6, 3)).astype("float32")
    return [rng.normal(size=(6, 5, 7)).astype("float32"),
            rng.integers(0, 10, size=(6, 3)).astype("int32"),
            rng.normal(size=(6, 6, 6, 2)).astype("float32")]


BUILDERS = {"sequential": _sequential, "multi_io": _multi_io, "nested": _nested}


def _assert_same(a, b):
    for p, q in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
        np.testing.assert_allclose(np.asarray(p), np.asarray(q), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_keras_file_loads_in_kernelkit(name, tmp_path):
    km = BUILDERS[name](keras)
    path = tmp_path / "k.keras"
    km.save(path)
    m = load_model(path)
    x = _inputs(name)
    _assert_same(km.predict(x, verbose=0), m.predict(x, verbose=0))


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_kernelkit_file_loads_in_keras(name, tmp_path):
    m = BUILDERS[name](kk)
    path = tmp_path / "kk.keras"
    m.save(path)
    km = keras.saving.load_model(path)
    x = _inputs(name)
    _assert_same(m.predict(x, verbose=0), km.predict(x, verbose=0))


def test_weights_files_move_both_ways(tmp_path):
    km, m = _multi_io(keras), _multi_io(kk)
    km.save_weights(tmp_path / "k.weights.h5")
    m.load_weights(tmp_path / "k.weights.h5")
    x = _inputs("multi_io")
    _assert_same(km.predict(x, verbose=0), m.predict(x, verbose=0))
    m2, km2 = _multi_io(kk), _multi_io(keras)
    m2.save_weights(tmp_path / "kk.weights.h5")
    km2.load_weights(tmp_path / "kk.weights.h5")
    _assert_same(m2.predict(x, verbose=0), km2.predict(x, verbose=0))


def test_keras_compiled_model_comes_back_compiled_with_optimizer_state(tmp_path):
    km = _sequential(keras)
    km.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = _inputs("sequential"), np.ones((6, 2), "float32")
    km.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False)
    km.save(tmp_path / "k.keras")
    m = load_model(tmp_path / "k.keras")
    assert m.compiled and type(m.optimizer).__name__ == "Adam"
    assert int(m.optimizer.iterations) == 4
    np.testing.assert_allclose(m.evaluate(x, y, verbose=0), km.evaluate(x, y, verbose=0),
                               rtol=1e-5)


def test_kernelkit_optimizer_state_loads_in_keras(tmp_path):
    m = _sequential(kk)
    m.compile(optimizer="adam", loss="mse")
    x, y = _inputs("sequential"), np.ones((6, 2), "float32")
    m.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False)
    m.save(tmp_path / "kk.keras")
    km = keras.saving.load_model(tmp_path / "kk.keras")
    assert int(km.optimizer.iterations) == 4
    kernel = km.layers[0].kernel
    momentum = km.optimizer._momentums[0]
    assert momentum.shape == kernel.shape and np.abs(np.asarray(momentum)).sum() > 0
    file_values = [np.asarray(v) for v in km.optimizer.variables]
    ours = m._saved_optimizer_variables()
    assert len(ours) == len(file_values)
    for a, b in zip(ours, file_values):
        np.testing.assert_allclose(a, b, rtol=1e-6)
