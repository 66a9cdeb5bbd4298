"""`Model.metrics_names`: flat, per-output labels (catalogue 3.9, decision 11)."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _data(n=8, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _single():
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    model.compile(optimizer="Adam", loss="mse", metrics=["mae"])
    return model


def _shared_output(lib):
    inp = lib.Input((3,))
    out = lib.layers.Dense(2, name="out")
    model = lib.Model(inp, [out(inp), out(inp)])
    model.compile(optimizer="Adam", loss="mse", metrics=["mae", "acc"])
    return model


def test_empty_before_any_training_or_evaluation():  # 156
    assert _single().metrics_names == []


def test_after_fit_with_one_metric():  # 157
    model = _single()
    model.fit(*_data(2), verbose=0)
    assert model.metrics_names == ["loss", "mae"]


def test_after_evaluate_alone():  # 156, 157
    model = _single()
    model.evaluate(*_data(), verbose=0)
    assert model.metrics_names == ["loss", "mae"]


def test_recompiling_empties_the_names_again():
    model = _single()
    model.fit(*_data(2), verbose=0)
    model.compile("sgd", "mse", metrics=["mse"])
    assert model.metrics_names == []
    model.fit(*_data(2), verbose=0)
    assert model.metrics_names == ["loss", "mse"]


def test_two_outputs_of_one_layer_with_two_metrics():  # 158, 160
    x, y = _data()
    model = _shared_output(kk)
    model.fit(x, (y, y), verbose=0)
    assert model.metrics_names == ["loss", "out_loss", "out_1_loss", "out_mae", "out_acc",
                                   "out_1_mae", "out_1_acc"]


def test_evaluate_values_align_with_names_and_match_keras():  # 159, 160
    x, y = _data(16)
    k, ours = _shared_output(keras), _shared_output(kk)
    ours.set_weights(k.get_weights())
    values = ours.evaluate(x, (y, y), verbose=0)
    assert len(values) == len(ours.metrics_names)
    named = dict(zip(ours.metrics_names, values))
    theirs = k.evaluate(x, (y, y), verbose=0, return_dict=True)
    # Keras 3 names the per-output entries after the output layer too
    for key in ("loss", "out_loss", "out_mae", "out_1_mae"):
        candidates = [v for name, v in theirs.items() if name == key]
        if candidates:
            assert named[key] == pytest.approx(candidates[0], rel=1e-5)
    pred = ours.predict(x, verbose=0)[0]
    assert named["out_mae"] == pytest.approx(float(np.mean(np.abs(pred - y))), rel=1e-5)
    assert named["loss"] == pytest.approx(named["out_loss"] + named["out_1_loss"], rel=1e-5)
    assert named["out_acc"] == named["out_1_acc"]


def test_dict_targets_use_the_same_names():  # 160 with dict y
    x, y = _data()
    model = _shared_output(kk)
    result = model.evaluate(x, {"out": y, "out_1": y}, verbose=0, return_dict=True)
    assert list(result) == model.metrics_names
