"""`KerasFileEditor` against Keras 3's: the same files read to the same weights, the same
comparisons and edits, and a saved file that kernelkit and Keras both load."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.saving import KerasFileEditor
from tests.keras_oracle import keras


def _keras_model(units=3):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, name="hidden"),
                             keras.layers.BatchNormalization(name="norm"),
                             keras.layers.Dense(2, name="head")])


def _kk_model(units=3):
    return kk.Sequential([kk.Input((4,)), kk.layers.Dense(units, name="hidden"),
                          kk.layers.BatchNormalization(name="norm"),
                          kk.layers.Dense(2, name="head")])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("editor")
    model = _keras_model()
    model.save(root / "m.keras")
    model.save_weights(root / "m.weights.h5")
    return root


def _assert_same_tree(a, b):
    assert list(a) == list(b)
    for key in a:
        if isinstance(a[key], dict):
            _assert_same_tree(a[key], b[key])
        else:
            np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("name", ["m.keras", "m.weights.h5"])
def test_reads_the_same_weights_as_keras(files, name, capsys):
    ours = KerasFileEditor(files / name)
    theirs = keras.saving.KerasFileEditor(str(files / name))
    _assert_same_tree(ours.weights_dict, theirs.weights_dict)
    assert ours.object_metadata == theirs.object_metadata
    if name.endswith(".keras"):
        assert ours.config == theirs.config and ours.metadata == theirs.metadata
    capsys.readouterr()
    ours.summary()
    printed = capsys.readouterr().out
    assert "dense_1 ('head')" in printed and "shape=(4, 3)" in printed


@pytest.mark.parametrize("units", [3, 5])
def test_compare_matches_keras(files, units):
    ours = KerasFileEditor(files / "m.keras").compare(_kk_model(units))
    theirs = keras.saving.KerasFileEditor(str(files / "m.keras")).compare(_keras_model(units))
    assert ours == theirs
    assert ours["status"] == ("success" if units == 3 else "error")


def _edit(editor):
    editor.rename_object("dense", "first")
    editor.delete_weight("layers/dense_1", "1")
    editor.add_weights("dense_1", {"1": np.full((2,), 7.0, "float32")})
    editor.add_object("layers/extra", {"0": np.ones((2, 2), "float32")})
    editor.delete_object("layers/extra")


def test_edits_and_save_match_keras(files, tmp_path):
    ours, theirs = KerasFileEditor(files / "m.keras"), keras.saving.KerasFileEditor(
        str(files / "m.keras"))
    _edit(ours)
    _edit(theirs)
    _assert_same_tree(ours.weights_dict, theirs.weights_dict)
    ours.save(tmp_path / "ours.weights.h5")
    theirs.save(str(tmp_path / "theirs.weights.h5"))
    _assert_same_tree(KerasFileEditor(tmp_path / "ours.weights.h5").weights_dict,
                      KerasFileEditor(tmp_path / "theirs.weights.h5").weights_dict)


def test_an_added_layer_makes_the_file_fit_a_bigger_model(files, tmp_path):
    bigger = kk.Sequential([kk.Input((4,)), kk.layers.Dense(3), kk.layers.BatchNormalization(),
                            kk.layers.Dense(2), kk.layers.Dense(1)])
    editor = KerasFileEditor(files / "m.weights.h5")
    assert editor.compare(bigger)["status"] == "error"
    extra = {"0": np.full((2, 1), 0.5, "float32"), "1": np.zeros((1,), "float32")}
    editor.add_object("layers/dense_2", extra)
    assert editor.compare(bigger)["status"] == "success"
    editor.save(tmp_path / "bigger.weights.h5")
    bigger.load_weights(tmp_path / "bigger.weights.h5")
    np.testing.assert_array_equal(bigger.get_weights()[-2], extra["0"])
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                               keras.layers.BatchNormalization(), keras.layers.Dense(2),
                               keras.layers.Dense(1)])
    theirs.load_weights(tmp_path / "bigger.weights.h5")  # Keras reads the same layout
    for a, b in zip(theirs.get_weights(), bigger.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_errors_name_the_fix(files, tmp_path):
    editor = KerasFileEditor(files / "m.keras")
    with pytest.raises(ValueError, match="unknown file type"):
        KerasFileEditor(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="is not in the file"):
        editor.delete_object("missing")
    with pytest.raises(ValueError, match="not a path"):
        editor.rename_object("dense", "a/b")
    with pytest.raises(ValueError, match="must be a dict"):
        editor.add_weights("dense", [1])
    with pytest.raises(ValueError, match="weight '9' is not in"):
        editor.delete_weight("dense", "9")
    with pytest.raises(ValueError, match="weights file"):
        editor.save(tmp_path / "out.keras")
    editor.add_object("layers/dense/inner", {"0": np.zeros(1)})
    editor.add_object("layers/dense_1/inner", {"0": np.zeros(1)})
    with pytest.raises(ValueError, match="occurs 2 times"):
        editor.delete_object("inner")
