"""TerminateOnNaN: graceful stop or immediate error on a NaN/Inf batch loss."""

import jax.numpy as jnp
import pytest

from kernelkit.callbacks import CallbackList, TerminateOnNaN
from tests.keras_oracle import keras


def nan_at(bad_step, value):
    def logs(epoch, step):
        return {"loss": jnp.asarray(value if (epoch, step) == bad_step else 0.5)}

    return logs


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_stops_training_gracefully_like_keras(value, drive_fit, make_fake_model, make_keras_model,
                                              capsys):
    model = make_fake_model()
    callbacks = CallbackList([TerminateOnNaN()], add_history=True, model=model)
    assert callbacks.needs_batch_hooks("train")
    ran = drive_fit(callbacks, model, [{"loss": 0.5}] * 4, steps=3,
                    batch_logs=nan_at((1, 2), value))
    assert ran == [0, 1] and model.stop_training
    ours = capsys.readouterr().out
    assert ours == "Batch 2: Invalid loss, terminating training\n"
    k_model = make_keras_model()
    k_ran = drive_fit(keras.callbacks.CallbackList([keras.callbacks.TerminateOnNaN()],
                                                   model=k_model),
                      k_model, [{"loss": 0.5}] * 4, steps=3, batch_logs=nan_at((1, 2), value))
    assert k_ran == ran and capsys.readouterr().out == ours


def test_finite_or_missing_losses_do_nothing(make_fake_model):
    model = make_fake_model()
    terminator = TerminateOnNaN()
    terminator.set_model(model)
    terminator.on_train_batch_end(0, {"loss": 1e30})
    terminator.on_train_batch_end(1, {"accuracy": float("nan")})
    terminator.on_train_batch_end(2)
    assert not model.stop_training


def test_raise_error_raises_at_once(make_fake_model):
    terminator = TerminateOnNaN(raise_error=True)
    terminator.set_model(make_fake_model())
    with pytest.raises(RuntimeError, match=r"TerminateOnNaN: NaN or Inf loss encountered at "
                                           r"batch 7. Expected a finite loss. Received: "
                                           r"loss=nan."):
        terminator.on_batch_end(7, {"loss": float("nan")})
