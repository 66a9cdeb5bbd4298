"""`save_weights` / `load_weights` (catalogue 3.18): Keras 3 and Keras 2 layouts."""

import sys

import h5py
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _model(lib=kk, dropout=False, units=4, name_prefix="", out_units=2):
    L = lib.layers
    layers = [lib.Input((3,)), L.Dense(units, name=f"{name_prefix}d1")]
    if dropout:
        layers.append(L.Dropout(0.5))
    layers += [L.BatchNormalization(name=f"{name_prefix}bn"), L.Dense(out_units, name=f"{name_prefix}d2")]
    return lib.Sequential(layers)


X = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")


@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_round_trip_and_weightless_layers_skipped(tmp_path, suffix):  # 222, 225
    source = _model()
    source.save_weights(tmp_path / f"w{suffix}")
    for target in (_model(), _model(dropout=True)):
        assert target.load_weights(tmp_path / f"w{suffix}") is None  # 231
        np.testing.assert_allclose(target.predict(X, verbose=0), source.predict(X, verbose=0))


def test_wrong_extension_raises(tmp_path):  # 223
    with pytest.raises(ValueError, match="must end in '.weights.h5'"):
        _model().save_weights(tmp_path / "w.keras")


def test_legacy_layout(tmp_path):  # 224
    model = _model()
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5") as f:
        names = [n.decode() for n in f.attrs["layer_names"]]
        assert names == ["d1", "bn", "d2"]
        weight_names = [n.decode() for n in f["bn"].attrs["weight_names"]]
        assert weight_names == ["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"]
        assert f["d1"]["d1/kernel"].shape == (3, 4)


def test_legacy_h5_files_move_both_ways_with_keras(tmp_path):
    km = _model(keras)
    km.save(tmp_path / "k.h5")  # Keras 3 writes the legacy layout for .h5
    m = _model()
    m.load_weights(tmp_path / "k.h5")
    np.testing.assert_allclose(m.predict(X, verbose=0), km.predict(X, verbose=0), rtol=1e-5)
    m2 = _model()
    m2.save_weights(tmp_path / "kk.h5")
    km2 = _model(keras)
    km2.load_weights(tmp_path / "kk.h5")
    np.testing.assert_allclose(m2.predict(X, verbose=0), km2.predict(X, verbose=0), rtol=1e-5)


@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_shape_mismatch_raises_and_changes_nothing(tmp_path, suffix):  # 226
    _model(units=4).save_weights(tmp_path / f"w{suffix}")
    target = _model(units=5)
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"d1/kernel' expects shape \(3, 5\).*\(3, 4\)"):
        target.load_weights(tmp_path / f"w{suffix}")
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_skip_mismatch_warns_once_per_layer(tmp_path, suffix):  # 227, decision 8
    source = _model()
    source.save_weights(tmp_path / f"w{suffix}")
    target = _model(out_units=3)
    before = target.get_weights()
    with pytest.warns(UserWarning, match="skipping layer") as record:
        target.load_weights(tmp_path / f"w{suffix}", skip_mismatch=True)
    skipped = [str(w.message) for w in record if "skipping layer" in str(w.message)]
    assert len(skipped) == 1 and "'d2'" in skipped[0]
    for a, b in zip(target.get_weights()[:6], source.get_weights()[:6]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(target.get_weights()[6], before[6])


def test_by_name_loads_matching_layers_only(tmp_path):  # 228
    source = _model()
    source.save_weights(tmp_path / "w.h5")
    target = _model(name_prefix="other_")
    target.layers[0].name = "d1"
    before = target.layers[-1].get_weights()
    target.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(target.layers[0].get_weights()[0],
                                  source.layers[0].get_weights()[0])
    np.testing.assert_array_equal(target.layers[-1].get_weights()[0], before[0])
    with pytest.raises(ValueError, match="holds 3 layers with weights, the model has 1"):
        kk.Sequential([kk.Input((3,)), kk.layers.Dense(4)]).load_weights(tmp_path / "w.h5")


def test_by_name_refused_for_keras3_files(tmp_path):
    _model().save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="by_name=True works only with legacy"):
        _model().load_weights(tmp_path / "w.weights.h5", by_name=True)


def test_load_weights_from_keras_archive_and_missing_file(tmp_path):
    source = _model()
    source.save(tmp_path / "m.keras")
    target = _model()
    target.load_weights(tmp_path / "m.keras")
    np.testing.assert_allclose(target.predict(X, verbose=0), source.predict(X, verbose=0))
    with pytest.raises(ValueError, match="no file at"):
        target.load_weights(tmp_path / "absent.weights.h5")


def test_missing_h5py_raises_import_error(tmp_path, monkeypatch):  # 230
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match="need the h5py package|needs? the h5py"):
        _model().save_weights(tmp_path / "w.weights.h5")
