"""Fixtures for callback tests: a duck-typed fake model and a fake fit loop driving callbacks."""

import numpy as np
import pytest

from kernelkit.optimizers import SGD


class FakeModel:
    """The interface callbacks use: stop_training, optimizer, get/set_weights, metrics, history."""

    def __init__(self, learning_rate=0.1, metrics=()):
        self.stop_training = False
        self.optimizer = SGD(learning_rate=learning_rate)
        self.metrics = list(metrics)
        self.weights = [np.zeros((2, 2), "float32"), np.zeros((2,), "float32")]
        self.sync_count = 0

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def jax_state_sync(self):
        self.sync_count += 1


def _drive_fit(callbacks, model, epoch_logs, steps=3, batch_logs=None, set_weights=None):
    """Runs the hook sequence of `fit` over `len(epoch_logs)` epochs; returns the epochs run.

    `callbacks` is anything with the `on_*` hooks (a kernelkit or a Keras `CallbackList`).
    `set_weights(model, epoch)` changes the model's weights at each epoch, like training would.
    """
    model.stop_training = False
    callbacks.on_train_begin()
    ran = []
    logs = None
    for epoch, logs in enumerate(epoch_logs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            if set_weights is not None and step == steps - 1:
                set_weights(model, epoch)
            callbacks.on_train_batch_end(step, batch_logs(epoch, step) if batch_logs else logs)
        callbacks.on_epoch_end(epoch, dict(logs))
        ran.append(epoch)
        if model.stop_training:
            break
    callbacks.on_train_end(dict(logs) if logs else None)
    return ran


def _keras_model(learning_rate=0.1):
    from tests.keras_oracle import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


@pytest.fixture
def make_fake_model():
    """Factory of `FakeModel(learning_rate=0.1, metrics=())`."""
    return FakeModel


@pytest.fixture
def drive_fit():
    """The fake fit loop: `drive_fit(callbacks, model, epoch_logs, steps, batch_logs, set_weights)`."""
    return _drive_fit


@pytest.fixture
def make_keras_model():
    """Factory of a small compiled Keras Sequential (the oracle) with 2 weights."""
    return _keras_model
