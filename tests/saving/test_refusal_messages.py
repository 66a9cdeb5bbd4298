"""Issue 15: refusals name the full dotted name a file asks for; `safe_mode=None` is safe;
corrupt weights inside a `.keras` archive are refused naming the member, changing nothing."""

import json
import zipfile

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.saving import InvalidFileError, load_model


def _model():
    return kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _edited(tmp_path, edit, name="evil.keras"):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config)
    return _write(tmp_path / name, members)


@pytest.mark.parametrize("module, name", [
    ("os", "system"), ("builtins", "eval"), ("importlib", "import_module"),
    ("kernelkit.saving", "load_model"), ("keras.utils", "get_file")])
def test_a_function_the_file_asks_for_is_named_in_full(tmp_path, module, name):
    def edit(config):
        config["config"]["layers"][1]["config"]["activation"] = {
            "module": module, "class_name": "function", "config": name,
            "registered_name": "function"}

    with pytest.raises(UnsafeModelError, match=rf"layers\[1\]\.config\.activation: .*"
                                                rf"asks for '{module}\.{name}'"):
        load_model(_edited(tmp_path, edit))


def test_a_class_the_file_asks_for_is_named_in_full(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["module"] = "subprocess"
        config["config"]["layers"][1]["class_name"] = "Popen"

    with pytest.raises(UnsafeModelError, match=r"layers\[1\]: .*asks for 'subprocess\.Popen'"):
        load_model(_edited(tmp_path, edit))


def test_safe_mode_none_is_the_safe_default(tmp_path):
    lam = kk.Sequential([kk.Input((2,)), kk.layers.Lambda(lambda v: v * 2)])
    lam.save(tmp_path / "lam.keras")
    with pytest.raises(UnsafeModelError, match="lambda as bytecode"):
        load_model(tmp_path / "lam.keras", safe_mode=None)
    loaded = load_model(tmp_path / "lam.keras", safe_mode=False)
    np.testing.assert_allclose(loaded(np.ones((1, 2), "float32")), 2.0)
    config = kk.saving.serialize_keras_object(lam.layers[0])
    with pytest.raises(UnsafeModelError, match="lambda"):
        kk.saving.deserialize_keras_object(config, safe_mode=None)


@pytest.mark.parametrize("damage", ["truncated", "not_hdf5"])
def test_corrupt_weights_member_is_named_and_the_model_is_unchanged(tmp_path, damage):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    weights = members["model.weights.h5"]
    members["model.weights.h5"] = (weights[: len(weights) // 3] if damage == "truncated"
                                   else b"this is not an HDF5 file" * 10)
    path = _write(tmp_path / "corrupt.keras", members)
    with pytest.raises(InvalidFileError, match=r"model\.weights\.h5"):
        load_model(path)
    target = _model()
    before = [w.copy() for w in target.get_weights()]
    with pytest.raises(InvalidFileError, match=r"model\.weights\.h5"):
        target.load_weights(path)
    for a, b in zip(target.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_archive_whose_weights_member_has_another_name_is_refused_naming_it(tmp_path):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    members["weights.h5"] = members.pop("model.weights.h5")
    path = _write(tmp_path / "renamed.keras", members)
    with pytest.raises((InvalidFileError, ValueError), match=r"model\.weights\.h5"):
        load_model(path)
