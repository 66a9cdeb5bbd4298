"""LearningRateScheduler on a fake model with a kernelkit optimizer, compared with Keras's."""

import jax.numpy as jnp
import numpy as np
import pytest

from kernelkit.callbacks import Callback, CallbackList, LearningRateScheduler
from tests.keras_oracle import keras


def rates_per_epoch(callbacks, model, drive_fit, epochs=4):
    rates = []
    base = Callback if isinstance(callbacks, CallbackList) else keras.callbacks.Callback

    class Spy(base):
        def on_epoch_begin(self, epoch, logs=None):
            rates.append(float(np.asarray(model.optimizer.learning_rate)))

    callbacks.callbacks.append(Spy())  # called after the scheduler
    drive_fit(callbacks, model, [{"loss": 1.0}] * epochs, steps=1)
    return rates


def decay(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


def by_epoch(epoch):
    return 0.1 / (epoch + 1)


@pytest.mark.parametrize("schedule", [decay, by_epoch])
def test_matches_keras(schedule, drive_fit, make_fake_model, make_keras_model, capsys):
    model, k_model = make_fake_model(learning_rate=0.1), make_keras_model(learning_rate=0.1)
    ours = rates_per_epoch(CallbackList([LearningRateScheduler(schedule, verbose=1)],
                                        model=model), model, drive_fit)
    our_out = capsys.readouterr().out
    theirs = rates_per_epoch(keras.callbacks.CallbackList(
        [keras.callbacks.LearningRateScheduler(schedule, verbose=1)], model=k_model),
        k_model, drive_fit)
    assert ours == theirs and len(set(ours)) > 1
    assert our_out == capsys.readouterr().out
    assert "\nEpoch 1: LearningRateScheduler setting learning rate to 0.1" in our_out


def test_accepts_numpy_and_jax_scalars_and_ints(make_fake_model):
    model = make_fake_model()
    for schedule, expected in [(lambda e: np.float32(0.5), 0.5), (lambda e: jnp.asarray(0.25),
                                                                  0.25), (lambda e: 1, 1.0)]:
        scheduler = LearningRateScheduler(schedule)
        scheduler.set_model(model)
        scheduler.on_epoch_begin(0)
        assert float(model.optimizer.learning_rate) == expected


def test_a_type_error_inside_the_schedule_is_not_swallowed(make_fake_model):
    def broken(epoch, lr):
        return lr + "oops"

    scheduler = LearningRateScheduler(broken)
    scheduler.set_model(make_fake_model())
    with pytest.raises(TypeError, match="unsupported operand"):
        scheduler.on_epoch_begin(0)


def test_a_builtin_schedule_without_signature(make_fake_model):
    model = make_fake_model()
    scheduler = LearningRateScheduler(float)  # float(epoch): no (epoch, lr) form
    scheduler.set_model(model)
    scheduler.on_epoch_begin(3)
    assert float(model.optimizer.learning_rate) == 3.0


def test_learning_rate_goes_into_the_epoch_logs(drive_fit, make_fake_model):
    model = make_fake_model(learning_rate=0.1)
    callbacks = CallbackList([LearningRateScheduler(by_epoch)], add_history=True, model=model)
    drive_fit(callbacks, model, [{"loss": 1.0}] * 2, steps=1)
    np.testing.assert_allclose(callbacks.history.history["learning_rate"], [0.1, 0.05])
    scheduler = LearningRateScheduler(by_epoch)
    scheduler.set_model(model)
    scheduler.on_epoch_end(0)  # no logs: nothing to write into


def test_a_schedule_returning_a_non_number_is_rejected(make_fake_model):
    scheduler = LearningRateScheduler(lambda epoch: "0.1")
    scheduler.set_model(make_fake_model())
    with pytest.raises(TypeError, match=r"LearningRateScheduler: the schedule returned something "
                                        r"that is not a number.*Received: schedule\(0\)='0.1'"):
        scheduler.on_epoch_begin(0)
