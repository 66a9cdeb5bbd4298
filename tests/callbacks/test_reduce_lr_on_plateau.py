"""ReduceLROnPlateau on a fake model with a kernelkit optimizer, compared with Keras's."""

from types import SimpleNamespace

import numpy as np
import pytest

from kernelkit.callbacks import Callback, CallbackList, ReduceLROnPlateau
from tests.keras_oracle import keras

VAL_LOSSES = [1.0, 0.9, 0.95, 0.96, 0.97, 0.899, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1, 1.2]


def learning_rates(callbacks, model, values, drive_fit):
    """The learning rate after each epoch, read back from the optimizer as float32."""
    rates = []

    base = Callback if isinstance(callbacks, CallbackList) else keras.callbacks.Callback

    class Spy(base):
        def on_epoch_end(self, epoch, logs=None):
            rates.append(float(np.asarray(model.optimizer.learning_rate)))

    callbacks.callbacks.append(Spy())  # called after the callback under test
    drive_fit(callbacks, model, [{"loss": 0.1, "val_loss": v} for v in values], steps=1)
    return rates


@pytest.mark.parametrize(
    "kwargs",
    [
        {"patience": 2},
        {"patience": 1, "factor": 0.5, "min_lr": 0.02, "verbose": 1},
        {"patience": 2, "cooldown": 2, "factor": 0.5, "verbose": 1},
        {"patience": 1, "min_delta": 0.05, "factor": 0.2},
        {"patience": 0, "mode": "max", "factor": 0.5},
    ],
)
def test_new_learning_rates_match_keras(kwargs, drive_fit, make_fake_model, make_keras_model,
                                        capsys):
    model, k_model = make_fake_model(learning_rate=0.1), make_keras_model(learning_rate=0.1)
    ours = ReduceLROnPlateau(**kwargs)
    theirs = keras.callbacks.ReduceLROnPlateau(**kwargs)
    our_rates = learning_rates(CallbackList([ours], model=model), model, VAL_LOSSES, drive_fit)
    our_out = capsys.readouterr().out
    k_list = keras.callbacks.CallbackList([theirs], model=k_model)
    k_rates = learning_rates(k_list, k_model, VAL_LOSSES, drive_fit)
    assert our_rates == k_rates
    assert len(set(our_rates)) > 1  # something was reduced
    assert (ours.wait, ours.cooldown_counter, ours.best) == (
        theirs.wait, theirs.cooldown_counter, theirs.best)
    assert our_out == capsys.readouterr().out


def test_message_and_learning_rate_in_history(drive_fit, make_fake_model, capsys):
    model = make_fake_model(learning_rate=1.0)
    callbacks = CallbackList([ReduceLROnPlateau(patience=1, factor=0.5, verbose=1)],
                             add_history=True, model=model)
    drive_fit(callbacks, model, [{"val_loss": 1.0}] * 3, steps=1)
    assert capsys.readouterr().out == (
        "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.5.\n"
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.25.\n")
    assert callbacks.history.history["learning_rate"] == [1.0, 1.0, 0.5]
    assert float(model.optimizer.learning_rate) == 0.25


def test_each_optimizer_of_a_multi_optimizer_is_reduced(drive_fit, capsys):
    first = SimpleNamespace(name="adam", learning_rate=1.0)
    second = SimpleNamespace(name="sgd", learning_rate=0.5)
    model = SimpleNamespace(stop_training=False,
                            optimizer=SimpleNamespace(optimizers=[first, second]))
    callbacks = CallbackList([ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5,
                                                verbose=1)], add_history=True, model=model)
    drive_fit(callbacks, model, [{"loss": 1.0}] * 2, steps=1)
    assert (first.learning_rate, second.learning_rate) == (0.5, 0.25)
    assert callbacks.history.history["learning_rate_sgd"] == [0.5, 0.5]
    assert "reducing adam learning rate to 0.5." in capsys.readouterr().out


def test_warns_when_the_monitored_key_is_missing(make_fake_model):
    reducer = ReduceLROnPlateau()
    reducer.set_model(make_fake_model())
    reducer.on_train_begin()
    with pytest.warns(UserWarning, match=r"Learning rate reduction is conditioned on metric "
                                         r"`val_loss` which is not available. Available metrics "
                                         r"are: loss,learning_rate."):
        reducer.on_epoch_end(0, {"loss": 1.0})


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"ReduceLROnPlateau: the factor would not reduce the "
                                         r"learning rate. Expected factor < 1.0. Received: "
                                         r"factor=1.5"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(TypeError, match=r"ReduceLROnPlateau: unexpected keyword arguments.*"
                                        r"Received: \['patients'\]"):
        ReduceLROnPlateau(patients=3)
    with pytest.warns(DeprecationWarning, match="`epsilon` is deprecated; use `min_delta`"):
        reducer = ReduceLROnPlateau(epsilon=0.5)
    assert reducer.min_delta == 0.5


def test_a_model_without_a_usable_optimizer():
    reducer = ReduceLROnPlateau(monitor="loss")
    reducer.set_model(SimpleNamespace(optimizer=None))
    with pytest.raises(RuntimeError, match=r"ReduceLROnPlateau: the model has no optimizer.*"
                                           r"Call model.compile"):
        reducer.on_epoch_end(0, {"loss": 1.0})
    reducer.set_model(SimpleNamespace(optimizer=object()))
    with pytest.raises(TypeError, match=r"ReduceLROnPlateau: the optimizer has no learning_rate "
                                        r"attribute.*Received: optimizer=<object>"):
        reducer.on_epoch_end(0, {"loss": 1.0})
