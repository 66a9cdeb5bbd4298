"""Loading never runs code from a file, and refuses hostile archives and HDF5 files."""

import io
import json
import zipfile

import h5py
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.saving import InvalidFileError, load_model
from kernelkit.saving.object_config import MAX_DEPTH


def _model():
    return kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path, members, infos=()):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for info, data in infos:
            zf.writestr(info, data)


def _with_config(tmp_path, edit):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config)
    _write(tmp_path / "evil.keras", members)
    return tmp_path / "evil.keras"


@pytest.mark.parametrize("module,name", [("os", "system"), ("builtins", "eval"),
                                         ("subprocess", "Popen"),
                                         ("kernelkit.saving", "load_model"),
                                         ("kernelkit.saving", "save_model"),
                                         ("kernelkit.saving.atomic_write", "atomic_path")])
def test_unregistered_classes_are_refused_naming_where(tmp_path, module, name):
    def edit(config):
        config["config"]["layers"][1]["module"] = module
        config["config"]["layers"][1]["class_name"] = name

    with pytest.raises(UnsafeModelError, match=rf"config\.json\.config\.layers\[1\]: '{name}'"):
        load_model(_with_config(tmp_path, edit))


def test_function_entries_are_resolved_by_name_only(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["activation"] = {
            "module": "builtins", "class_name": "function", "config": "eval",
            "registered_name": None}

    with pytest.raises(UnsafeModelError, match=r"layers\[1\]\.config\.activation: 'eval'"):
        load_model(_with_config(tmp_path, edit))


def test_object_arrays_in_configs_are_refused(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["config"]["bias_initializer"] = {
            "class_name": "__numpy__", "config": {"value": [1], "dtype": "object"}}

    with pytest.raises(UnsafeModelError, match="dtype 'object' is refused"):
        load_model(_with_config(tmp_path, edit))


def test_lambda_bytecode_needs_explicit_safe_mode_false(tmp_path):
    model = kk.Sequential([kk.Input((3,)), kk.layers.Lambda(lambda x: x * 3.0)])
    model.save(tmp_path / "lam.keras")
    with pytest.raises(UnsafeModelError, match="lambda as bytecode"):
        load_model(tmp_path / "lam.keras")
    loaded = load_model(tmp_path / "lam.keras", safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 3)), verbose=0), 3.0)
    members = _members(tmp_path / "lam.keras")  # a file cannot switch safe mode off
    config = json.loads(members["config.json"])
    config["safe_mode"] = False
    config["config"]["layers"][1]["config"]["safe_mode"] = False
    members["config.json"] = json.dumps(config)
    _write(tmp_path / "evil.keras", members)
    with pytest.raises(UnsafeModelError, match="lambda as bytecode"):
        load_model(tmp_path / "evil.keras")


@pytest.mark.parametrize("name,problem", [("/etc/passwd", "absolute path"),
                                          ("../escape.txt", "escapes the archive"),
                                          ("config.json", "appears twice")])
def test_hostile_member_names_are_refused(tmp_path, name, problem):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    with pytest.warns(UserWarning) if name == "config.json" else _no_warning():
        _write(tmp_path / "evil.keras", members, [(zipfile.ZipInfo(name), b"x")])
    with pytest.raises(UnsafeModelError, match=problem):
        load_model(tmp_path / "evil.keras")


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_symlink_member_is_refused(tmp_path):
    _model().save(tmp_path / "m.keras")
    info = zipfile.ZipInfo("assets/link")
    info.external_attr = (0o120777 << 16)
    _write(tmp_path / "evil.keras", _members(tmp_path / "m.keras"), [(info, b"/etc/passwd")])
    with pytest.raises(UnsafeModelError, match="symbolic link"):
        load_model(tmp_path / "evil.keras")


def test_decompression_bomb_is_refused(tmp_path):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "bomb.keras", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("assets/zeros", b"\0" * (8 << 20))
    with pytest.raises(UnsafeModelError, match="decompression bomb"):
        load_model(tmp_path / "bomb.keras")


def test_deep_and_huge_configs_are_refused_before_parsing(tmp_path, monkeypatch):
    _model().save(tmp_path / "m.keras")
    members = _members(tmp_path / "m.keras")
    members["config.json"] = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    _write(tmp_path / "deep.keras", members)
    with pytest.raises(UnsafeModelError, match="nested 201 levels deep"):
        load_model(tmp_path / "deep.keras")
    import kernelkit.saving.archive as archive

    monkeypatch.setattr(archive, "_MAX_CONFIG", 100)
    with pytest.raises(UnsafeModelError, match="config.json' declares .* bytes, more than"):
        load_model(tmp_path / "m.keras")


@pytest.mark.parametrize("content,reason", [(b"", "it is empty"),
                                            (b"hello world", "neither a zip archive"),
                                            (None, "not a zip archive")])
def test_invalid_files_give_one_line_errors(tmp_path, content, reason):
    path = tmp_path / "m.keras"
    if content is None:  # a truncated archive
        _model().save(path)
        path.write_bytes(path.read_bytes()[:300])
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidFileError, match=f"not a valid kernelkit/Keras file.*{reason}"):
        load_model(path)


def test_truncated_weights_file_gives_one_line_error(tmp_path):
    _model().save_weights(tmp_path / "w.weights.h5")
    data = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "w.weights.h5").write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidFileError, match="not a valid kernelkit/Keras file"):
        _model().load_weights(tmp_path / "w.weights.h5")
    (tmp_path / "e.weights.h5").write_bytes(b"")
    with pytest.raises(InvalidFileError, match="it is empty"):
        _model().load_weights(tmp_path / "e.weights.h5")


def _weights_with(tmp_path, edit):
    _model().save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        edit(f)
    return tmp_path / "w.weights.h5"


def test_hdf5_links_and_external_storage_are_refused(tmp_path):
    (tmp_path / "other.h5").write_bytes(b"")
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = np.zeros(3)

    def external(f):
        f["layers/dense/vars/extra"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "/x")

    with pytest.raises(UnsafeModelError, match="external link"):
        _model().load_weights(_weights_with(tmp_path, external))

    def soft(f):
        f["layers/dense/vars/2"] = h5py.SoftLink("/layers/dense/vars/0")

    with pytest.raises(UnsafeModelError, match="soft link"):
        _model().load_weights(_weights_with(tmp_path, soft))

    def external_storage(f):
        (tmp_path / "raw.bin").write_bytes(b"\0" * 24)
        del f["layers/dense/vars/1"]
        f.create_dataset("layers/dense/vars/1", (2,), "f4",
                         external=[(str(tmp_path / "raw.bin"), 0, 8)])

    with pytest.raises(UnsafeModelError, match="external files"):
        _model().load_weights(_weights_with(tmp_path, external_storage))

    def virtual(f):
        layout = h5py.VirtualLayout(shape=(2,), dtype="f4")
        layout[:] = h5py.VirtualSource(str(tmp_path / "other.h5"), "x", shape=(3,))[:2]
        del f["layers/dense/vars/1"]
        f.create_virtual_dataset("layers/dense/vars/1", layout)

    with pytest.raises(UnsafeModelError, match="virtual dataset"):
        _model().load_weights(_weights_with(tmp_path, virtual))

    def strings(f):
        f["layers/dense/vars/9"] = np.array([b"a", b"b"], dtype=h5py.string_dtype())

    with pytest.raises(UnsafeModelError, match="non-numeric dtype"):
        _model().load_weights(_weights_with(tmp_path, strings))


def test_declared_shape_mismatch_names_variable_and_loads_nothing(tmp_path):
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2), kk.layers.Dense(4)])
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1/vars/0"] = np.zeros((1000, 4), "float32")
    target = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2), kk.layers.Dense(4)])
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"'dense_3/kernel' expects shape \(2, 4\), the file "
                                         r"holds shape \(1000, 4\)"):
        target.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_in_memory_archive_check_accepts_a_clean_archive():
    from kernelkit.saving.safe_zip import open_archive

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("config.json", "{}")
    assert open_archive(buffer).namelist() == ["config.json"]
