"""Test doubles for the fit tests: a layer that records which samples reach each step, and a
callback that records the hooks it sees."""

import jax
import numpy as np

import kernelkit as kk
from kernelkit import callbacks, layers


def sample_spy(log):
    """A layer that passes inputs through and appends `(training, ids)` to `log` per call,
    ids from feature 0 (a closure: a list attribute would become an NNX container)."""

    class SampleSpy(layers.Layer):
        def call(self, inputs, training=False):
            def record(values, mode=bool(training)):
                log.append((mode, np.asarray(values[:, 0]).round().astype(int).tolist()))

            jax.debug.callback(record, inputs, ordered=True)
            return inputs

    return SampleSpy()


def indexed_data(n=100, features=3):
    """`x[:, 0]` is the sample index, so a spy can tell which samples a step saw."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, features)).astype("float32")
    x[:, 0] = np.arange(n)
    y = (x[:, 1:2] * 0.5).astype("float32")
    return x, y


def spy_model(log, features=3):
    return kk.Sequential([kk.Input((features,)), sample_spy(log), layers.Dense(1)])


def train_batches(log):
    return [ids for training, ids in log if training]


def eval_batches(log):
    return [ids for training, ids in log if not training]




class HookRecorder(callbacks.Callback):
    """Records `(hook, index, sorted log keys)` for epoch, train-batch and test-batch hooks."""

    def __init__(self):
        super().__init__()
        self.events = []

    def _add(self, hook, index, logs):
        self.events.append((hook, index, sorted(logs or {})))

    def on_epoch_begin(self, epoch, logs=None):
        self._add("epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._add("epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._add("train_batch_begin", batch, None)

    def on_train_batch_end(self, batch, logs=None):
        self._add("train_batch_end", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._add("test_batch_end", batch, logs)

    def hooks(self, name):
        return [e for e in self.events if e[0] == name]
