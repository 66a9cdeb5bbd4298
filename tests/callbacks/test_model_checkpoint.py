"""`ModelCheckpoint`: templates, best-only saving, batch frequency, weights-only files."""

import math

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.callbacks import ModelCheckpoint
from kernelkit.saving import load_model

X = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
Y = X.sum(axis=1, keepdims=True)


def _model():
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(1)])
    model.compile(optimizer=kk.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def test_epoch_template_and_metric_names(tmp_path):
    model = _model()
    cb = ModelCheckpoint(str(tmp_path / "m-{epoch:02d}-{loss:.3f}.keras"), monitor="loss")
    history = model.fit(X, Y, epochs=3, batch_size=8, verbose=0, shuffle=False, callbacks=[cb])
    files = sorted(p.name for p in tmp_path.iterdir())
    assert [f[:4] for f in files] == ["m-01", "m-02", "m-03"]
    assert files[2] == f"m-03-{history.history['loss'][2]:.3f}.keras"
    last = load_model(tmp_path / files[2])
    np.testing.assert_allclose(last.predict(X, verbose=0), model.predict(X, verbose=0))


def test_save_best_only_with_threshold_and_nan(tmp_path):
    model = _model()
    path = tmp_path / "best.weights.h5"
    cb = ModelCheckpoint(path, monitor="val_loss", save_best_only=True, save_weights_only=True,
                         initial_value_threshold=1e9)
    cb.set_model(model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {"val_loss": 2.0})
    first = path.read_bytes()
    cb.on_epoch_end(1, {"val_loss": math.nan})
    cb.on_epoch_end(2, {"val_loss": 3.0})
    assert path.read_bytes() == first and cb.best == 2.0
    cb.on_epoch_end(3, {"val_loss": 1.0})
    assert cb.best == 1.0
    strict = ModelCheckpoint(tmp_path / "never.keras", monitor="val_loss", save_best_only=True,
                             initial_value_threshold=0.5)
    strict.set_model(model)
    strict.on_train_begin()
    strict.on_epoch_end(0, {"val_loss": 1.0})
    assert not (tmp_path / "never.keras").exists()
    with pytest.warns(UserWarning, match="can save best model only with val_loss"):
        strict.on_epoch_end(1, {"loss": 1.0})


def test_batch_frequency(tmp_path):
    model = _model()
    cb = ModelCheckpoint(tmp_path / "m-{epoch}-{batch}.weights.h5", save_weights_only=True,
                         save_freq=3)
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0, shuffle=False, callbacks=[cb])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["m-1-3.weights.h5", "m-2-2.weights.h5"]


def test_unknown_metric_in_template_fails_at_train_begin(tmp_path):
    model = _model()
    cb = ModelCheckpoint(tmp_path / "m-{val_accuracy:.2f}.keras")
    with pytest.raises(ValueError, match=r"names \['val_accuracy'\], which the model will not"):
        model.fit(X, Y, epochs=1, verbose=0, callbacks=[cb])


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="must end in '.keras'"):
        ModelCheckpoint(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="must end in '.weights.h5'"):
        ModelCheckpoint(tmp_path / "m.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="unrecognized save_freq"):
        ModelCheckpoint(tmp_path / "m.keras", save_freq=0)
    cb = ModelCheckpoint(tmp_path / "m-{missing}.keras")
    with pytest.raises(KeyError, match="names 'missing', which is not in the logs"):
        cb._save(0, None, {"loss": 1.0})
