"""`BackupAndRestore`: an interrupted-and-resumed fit ends exactly like an uninterrupted one."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.callbacks import BackupAndRestore, Callback
from kernelkit.random import set_random_seed

X = np.random.default_rng(0).normal(size=(24, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")


class Crash(Exception):
    pass


class CrashAfter(Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise Crash


def _model(dropout):
    set_random_seed(7)
    layers = [kk.Input((3,)), kk.layers.Dense(8, activation="relu")]
    if dropout:
        layers.append(kk.layers.Dropout(0.3))
    model = kk.Sequential([*layers, kk.layers.Dense(1)])
    model.compile(optimizer=kk.optimizers.Adam(0.01), loss="mse")
    return model


@pytest.mark.parametrize("shuffle,dropout", [(False, False), (True, True)])
def test_resumed_fit_matches_uninterrupted(tmp_path, shuffle, dropout):
    reference = _model(dropout)
    reference.fit(X, Y, epochs=4, batch_size=6, shuffle=shuffle, verbose=0)

    model = _model(dropout)
    backup = BackupAndRestore(tmp_path / "backup")
    with pytest.raises(Crash):
        model.fit(X, Y, epochs=4, batch_size=6, shuffle=shuffle, verbose=0,
                  callbacks=[backup, CrashAfter(1)])
    assert (tmp_path / "backup" / "latest.weights.h5").is_file()

    resumed = _model(dropout)  # a new process: fresh weights, fresh random state
    set_random_seed(99)
    seen = []
    history = resumed.fit(X, Y, epochs=4, batch_size=6, shuffle=shuffle, verbose=0,
                          callbacks=[BackupAndRestore(tmp_path / "backup"),
                                     kk.callbacks.LambdaCallback(
                                         on_epoch_begin=lambda e, logs: seen.append(e))])
    assert seen == [2, 3] and len(history.history["loss"]) == 2
    assert int(resumed.optimizer.iterations) == int(reference.optimizer.iterations)
    for a, b in zip(reference.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not (tmp_path / "backup").exists()  # deleted once training finished


def test_keep_checkpoint_and_batch_frequency(tmp_path):
    model = _model(False)
    cb = BackupAndRestore(tmp_path / "b", save_freq=2, delete_checkpoint=False)
    model.fit(X, Y, epochs=1, batch_size=6, verbose=0, callbacks=[cb])
    assert (tmp_path / "b" / "latest.weights.h5").is_file()


def test_argument_errors():
    with pytest.raises(ValueError, match="must name a directory"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="invalid save_freq"):
        BackupAndRestore("dir", save_freq=-1)


class CrashAtBatch(Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.epoch, self.batch, self.current = epoch, batch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.current, batch) == (self.epoch, self.batch):
            raise Crash


@pytest.mark.parametrize("shuffle,dropout,crash_batch", [
    (True, True, 4), (False, False, 4), ("batch", True, 4), (True, True, 7)])
def test_mid_epoch_backup_resumes_at_the_next_batch(tmp_path, shuffle, dropout, crash_batch):
    reference = _model(dropout)
    expected = reference.fit(X, Y, epochs=3, batch_size=3, shuffle=shuffle, verbose=0).history

    model = _model(dropout)
    with pytest.raises(Crash):  # 8 batches an epoch; backups every 2 batches of the run
        model.fit(X, Y, epochs=3, batch_size=3, shuffle=shuffle, verbose=0,
                  callbacks=[BackupAndRestore(tmp_path / "b", save_freq=2),
                             CrashAtBatch(epoch=1, batch=crash_batch)])

    resumed = _model(dropout)
    set_random_seed(99)
    begun = []
    history = resumed.fit(X, Y, epochs=3, batch_size=3, shuffle=shuffle, verbose=0,
                          callbacks=[BackupAndRestore(tmp_path / "b", save_freq=2),
                                     kk.callbacks.LambdaCallback(
                                         on_train_batch_begin=lambda b, logs: begun.append(b))])
    # the last backup of epoch 1 came after its batch 3 (crash at 4) or 7 (crash at 7): the
    # resumed run goes on after it, then runs epoch 2 whole
    done = 4 if crash_batch == 4 else 8
    assert begun == list(range(done, 8)) + list(range(8))
    assert int(resumed.optimizer.iterations) == int(reference.optimizer.iterations)
    for a, b in zip(reference.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    # the resumed epoch's loss covers the whole epoch: the metric state was backed up too
    np.testing.assert_allclose(history.history["loss"], expected["loss"][1:], rtol=1e-6)
