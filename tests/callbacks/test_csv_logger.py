"""CSVLogger: file content byte for byte against Keras's CSVLogger, append-mode headers."""

import numpy as np
import pytest

from kernelkit.callbacks import CallbackList, CSVLogger
from tests.keras_oracle import keras

TRAIN_ONLY = [{"loss": 1.5, "mae": 0.25}, {"loss": 0.75, "mae": 0.125}]
WITH_VAL = [{"loss": 1.5, "val_loss": 2.0, "acc": 0.5, "val_acc": 0.25}] * 2


def write_both(tmp_path, logs, drive_fit, make_fake_model, make_keras_model, **kwargs):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "keras.csv"
    model, k_model = make_fake_model(), make_keras_model()
    drive_fit(CallbackList([CSVLogger(ours, **kwargs)], model=model), model, logs, steps=1)
    drive_fit(keras.callbacks.CallbackList([keras.callbacks.CSVLogger(str(theirs), **kwargs)],
                                           model=k_model), k_model, logs, steps=1)
    return ours.read_bytes(), theirs.read_bytes()


@pytest.mark.parametrize("logs", [TRAIN_ONLY, WITH_VAL])
@pytest.mark.parametrize("separator", [",", ";"])
def test_file_matches_keras(logs, separator, tmp_path, drive_fit, make_fake_model,
                            make_keras_model):
    ours, theirs = write_both(tmp_path, logs, drive_fit, make_fake_model, make_keras_model,
                              separator=separator)
    assert ours == theirs


def test_missing_validation_columns_are_na(tmp_path, drive_fit, make_fake_model):
    path = tmp_path / "log.csv"
    model = make_fake_model()
    drive_fit(CallbackList([CSVLogger(path)], model=model), model, TRAIN_ONLY, steps=1)
    assert path.read_text().splitlines() == [
        "epoch,loss,mae,val_loss,val_mae", "0,1.5,0.25,NA,NA", "1,0.75,0.125,NA,NA"]


def test_append_writes_the_header_only_to_an_empty_file(tmp_path, drive_fit, make_fake_model,
                                                       make_keras_model):
    for name, logger, callback_list, make_model in (
            ("ours.csv", CSVLogger, CallbackList, make_fake_model),
            ("keras.csv", keras.callbacks.CSVLogger, keras.callbacks.CallbackList,
             make_keras_model)):
        path = tmp_path / name
        path.write_text("")
        for _ in range(2):
            model = make_model()
            callbacks = callback_list([logger(str(path), append=True)], model=model)
            drive_fit(callbacks, model, TRAIN_ONLY[:1], steps=1)
    ours, theirs = (tmp_path / "ours.csv").read_text(), (tmp_path / "keras.csv").read_text()
    assert ours == theirs
    assert ours.splitlines() == ["epoch,loss,mae,val_loss,val_mae", "0,1.5,0.25,NA,NA",
                                 "0,1.5,0.25,NA,NA"]
    fresh = tmp_path / "fresh.csv"
    model = make_fake_model()
    drive_fit(CallbackList([CSVLogger(fresh, append=True)], model=model), model, TRAIN_ONLY[:1])
    assert fresh.read_text().startswith("epoch,")


def test_without_append_the_file_is_overwritten(tmp_path, drive_fit, make_fake_model):
    path = tmp_path / "log.csv"
    path.write_text("old content\n")
    model = make_fake_model()
    drive_fit(CallbackList([CSVLogger(path)], model=model), model, TRAIN_ONLY[:1], steps=1)
    assert path.read_text().splitlines()[0] == "epoch,loss,mae,val_loss,val_mae"


def test_array_values_are_written_like_keras(tmp_path, drive_fit, make_fake_model,
                                             make_keras_model):
    logs = [{"loss": np.array(0.5), "cm": np.array([1, 2]), "name": "run"}]
    ours, theirs = write_both(tmp_path, logs, drive_fit, make_fake_model, make_keras_model)
    assert ours == theirs


def test_reusing_the_logger_closes_the_previous_file(tmp_path):
    logger = CSVLogger(tmp_path / "log.csv")
    logger.on_train_begin()
    first = logger.csv_file
    logger.on_train_begin()
    assert first.closed and not logger.csv_file.closed
    logger.on_train_end()
    assert logger.csv_file.closed


def test_epoch_end_before_train_begin_is_an_error(tmp_path):
    with pytest.raises(RuntimeError, match=r"CSVLogger: on_epoch_end was called while no file is "
                                           r"open.*Received: epoch=0. Call on_train_begin"):
        CSVLogger(tmp_path / "log.csv").on_epoch_end(0, {"loss": 1.0})
