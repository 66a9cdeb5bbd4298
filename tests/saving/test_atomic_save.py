"""Saves are atomic: a failure mid-write leaves the previous file intact and no temp files."""

import os

import numpy as np
import pytest

import kernelkit as kk
import kernelkit.saving.legacy_h5 as legacy_h5
import kernelkit.saving.weights_h5 as weights_h5
from kernelkit.saving import load_model
from kernelkit.saving.atomic_write import atomic_path, temp_name_prefix

X = np.ones((2, 3), "float32")


def _model():
    return kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])


class Boom(Exception):
    pass


def _fail_in_second_store(monkeypatch, module):
    original, calls = module.write_store, []

    def failing(handle, path, name, arrays):
        calls.append(path)
        if len(calls) == 2:
            raise Boom("disk full")
        return original(handle, path, name, arrays)

    monkeypatch.setattr(weights_h5, "write_store", failing)


def test_failed_keras_save_keeps_previous_file(tmp_path, monkeypatch):
    old = _model()
    old.save(tmp_path / "m.keras")
    _fail_in_second_store(monkeypatch, weights_h5)
    with pytest.raises(Boom):
        _model().save(tmp_path / "m.keras")
    assert os.listdir(tmp_path) == ["m.keras"]
    np.testing.assert_allclose(load_model(tmp_path / "m.keras").predict(X, verbose=0),
                               old.predict(X, verbose=0))


def test_interrupt_during_weights_save_keeps_previous_file(tmp_path, monkeypatch):
    old = _model()
    old.save_weights(tmp_path / "w.weights.h5")
    original = weights_h5.write_layer_weights

    def interrupted(handle, model):
        original(handle, model)
        raise KeyboardInterrupt

    monkeypatch.setattr(weights_h5, "write_layer_weights", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _model().save_weights(tmp_path / "w.weights.h5")
    assert os.listdir(tmp_path) == ["w.weights.h5"]
    fresh = _model()
    fresh.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_allclose(fresh.predict(X, verbose=0), old.predict(X, verbose=0))


def test_failed_legacy_save_keeps_previous_file(tmp_path, monkeypatch):
    old = _model()
    old.save_weights(tmp_path / "w.h5")

    def failing(group, weights):
        raise Boom("disk full")

    monkeypatch.setattr(legacy_h5, "_write_subset", failing)
    with pytest.raises(Boom):
        _model().save_weights(tmp_path / "w.h5")
    with pytest.raises(Boom):
        _model().save(tmp_path / "w.h5")
    assert os.listdir(tmp_path) == ["w.h5"]
    fresh = _model()
    fresh.load_weights(tmp_path / "w.h5")
    np.testing.assert_allclose(fresh.predict(X, verbose=0), old.predict(X, verbose=0))


def test_leftover_from_a_killed_save_is_removed_by_the_next_save(tmp_path):
    target = tmp_path / "m.keras"
    stale = tmp_path / f"{temp_name_prefix(target)}dead"
    stale.write_bytes(b"partial")
    _model().save(target)
    assert os.listdir(tmp_path) == ["m.keras"]


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(Boom), atomic_path(target) as tmp:
        tmp.write_text("new")
        raise Boom
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]
