"""History: per-epoch Python floats, epochs, model.history; compared with Keras's History."""

import json

import jax.numpy as jnp
import numpy as np

from kernelkit.callbacks import CallbackList, History, LearningRateScheduler
from tests.keras_oracle import keras

EPOCH_LOGS = [
    {"loss": 1.0, "mae": 0.9, "val_loss": 1.2, "val_mae": 1.1},
    {"loss": 0.5, "mae": 0.6, "val_loss": 0.8, "val_mae": 0.7},
    {"loss": 0.25, "mae": 0.3, "val_loss": 0.6, "val_mae": 0.5},
]


def test_history_records_python_floats_that_serialise_to_json(make_fake_model, drive_fit):
    model = make_fake_model()
    callbacks = CallbackList(add_history=True, model=model)
    device_logs = [{k: jnp.asarray(v, jnp.float32) for k, v in logs.items()}
                   for logs in EPOCH_LOGS]
    drive_fit(callbacks, model, device_logs)
    history = callbacks.history.history
    assert sorted(history) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(type(v) is float for values in history.values() for v in values)
    np.testing.assert_allclose(history["val_mae"], [1.1, 0.7, 0.5], rtol=1e-6)
    assert callbacks.history.epoch == [0, 1, 2]
    assert model.history is callbacks.history
    assert json.loads(json.dumps(history)) == history


def test_history_matches_keras_with_a_scheduler(make_fake_model, drive_fit, make_keras_model):
    def schedule(epoch, lr):
        return lr * 0.5

    model = make_fake_model(learning_rate=0.1)
    ours = CallbackList([LearningRateScheduler(schedule)], add_history=True, model=model)
    drive_fit(ours, model, EPOCH_LOGS)
    k_model = make_keras_model(learning_rate=0.1)
    theirs = keras.callbacks.CallbackList([keras.callbacks.LearningRateScheduler(schedule)],
                                          add_history=True, model=k_model)
    drive_fit(theirs, k_model, EPOCH_LOGS)
    k_history = k_model.history
    assert list(ours.history.history) == list(k_history.history)
    for key, values in k_history.history.items():
        np.testing.assert_allclose(ours.history.history[key], values, rtol=1e-7)
    assert ours.history.epoch == k_history.epoch


def test_history_keeps_growing_across_fits_but_epoch_restarts(make_fake_model, drive_fit):
    model = make_fake_model()
    history = History()
    callbacks = CallbackList([history], model=model)
    drive_fit(callbacks, model, EPOCH_LOGS[:2])
    drive_fit(callbacks, model, EPOCH_LOGS[2:])
    assert history.history["loss"] == [1.0, 0.5, 0.25]
    assert history.epoch == [0]


def test_history_without_a_model_or_logs():
    history = History()
    history.on_train_begin()
    history.on_epoch_end(0)
    history.on_epoch_end(1, {"loss": np.float32(0.5)})
    assert history.history == {"loss": [0.5]} and history.epoch == [0, 1]
