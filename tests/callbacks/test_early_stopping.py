"""EarlyStopping, driven like fit on a fake model and compared with Keras's EarlyStopping."""

import warnings

import numpy as np
import pytest

from kernelkit.callbacks import CallbackList, EarlyStopping, MonitorCallback
from tests.keras_oracle import keras

LOSSES = [1.0, 0.8, 0.81, 0.79, 0.795, 0.9, 0.85, 0.7, 0.95, 0.99, 1.2]


def epoch_logs(values, key="val_loss"):
    return [{"loss": 0.5, key: v} for v in values]


def mark_weights(model, epoch):
    """What training does to the weights: here, each epoch writes its index into them."""
    model.set_weights([np.full(w.shape, epoch, "float32") for w in model.get_weights()])


def run_both(kwargs, logs, drive_fit, make_fake_model, make_keras_model, capsys):
    ours, theirs = EarlyStopping(**kwargs), keras.callbacks.EarlyStopping(**kwargs)
    model, k_model = make_fake_model(), make_keras_model()
    ran = drive_fit(CallbackList([ours], model=model), model, logs, steps=1,
                    set_weights=mark_weights)
    our_out = capsys.readouterr().out
    k_ran = drive_fit(keras.callbacks.CallbackList([theirs], model=k_model), k_model, logs,
                      steps=1, set_weights=mark_weights)
    assert ran == k_ran
    for name in ("stopped_epoch", "best", "wait", "best_epoch"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name)), name
    for ours_w, theirs_w in zip(model.get_weights(), k_model.get_weights()):
        np.testing.assert_array_equal(ours_w, theirs_w)
    assert our_out == capsys.readouterr().out
    return ours, model


@pytest.mark.parametrize(
    "kwargs, values",
    [
        ({}, LOSSES),
        ({"patience": 1}, LOSSES),
        ({"patience": 2, "verbose": 1}, LOSSES),
        ({"patience": 2, "min_delta": 0.05}, LOSSES),
        ({"patience": 3, "restore_best_weights": True, "verbose": 1}, LOSSES),
        ({"patience": 100, "restore_best_weights": True}, LOSSES),
        ({"patience": 1, "baseline": 0.75}, LOSSES),
        ({"patience": 2, "start_from_epoch": 4, "restore_best_weights": True}, LOSSES),
        ({"patience": 1, "mode": "max"}, [0.1, 0.3, 0.2, 0.25, 0.5, 0.4, 0.3]),
        ({"patience": 1, "monitor": "loss"}, LOSSES),
    ],
)
def test_matches_keras(kwargs, values, drive_fit, make_fake_model, make_keras_model, capsys):
    run_both(kwargs, epoch_logs(values), drive_fit, make_fake_model, make_keras_model, capsys)


def test_restores_the_best_weights_and_says_so(drive_fit, make_fake_model, make_keras_model,
                                              capsys):
    kwargs = {"patience": 2, "restore_best_weights": True, "verbose": 1}
    stopper, model = run_both(kwargs, epoch_logs(LOSSES), drive_fit, make_fake_model,
                              make_keras_model, capsys)
    assert stopper.stopped_epoch == 5 and stopper.best_epoch == 3 and stopper.best == 0.79
    assert all((w == 3).all() for w in model.get_weights())


def test_messages(drive_fit, make_fake_model, capsys):
    model = make_fake_model()
    stopper = EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    drive_fit(CallbackList([stopper], model=model), model, epoch_logs(LOSSES), steps=1)
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 6: early stopping",
        "Restoring model weights from the end of the best epoch: 4.",
    ]


def test_is_reusable_across_fits(drive_fit, make_fake_model):
    model = make_fake_model()
    stopper = EarlyStopping(patience=1)
    callbacks = CallbackList([stopper], model=model)
    assert drive_fit(callbacks, model, epoch_logs([1.0, 2.0, 3.0])) == [0, 1]
    assert drive_fit(callbacks, model, epoch_logs([5.0, 4.0, 3.0])) == [0, 1, 2]
    assert stopper.best == 3.0 and stopper.stopped_epoch == 0


def test_warns_when_the_monitored_key_is_missing(drive_fit, make_fake_model):
    model = make_fake_model()
    stopper = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match=r"Early stopping conditioned on metric `val_loss` which "
                                         r"is not available. Available metrics are: loss,mae"):
        ran = drive_fit(CallbackList([stopper], model=model), model,
                        [{"loss": 1.0, "mae": 2.0}] * 3)
    assert ran == [0, 1, 2] and not model.stop_training
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.callbacks.EarlyStopping().on_epoch_end(0, {"loss": 1.0, "mae": 2.0})
    assert "Available metrics are: loss,mae" in str(caught[-1].message)


def test_auto_mode_reads_the_metric_direction_from_the_model(drive_fit, make_fake_model):
    class Accuracy:
        name = "accuracy"
        _direction = "up"

    class Container:  # like a compile-metrics container holding the real metrics
        name = "compile_metrics"
        metrics = [Accuracy()]

    model = make_fake_model(metrics=[Container()])
    stopper = EarlyStopping(monitor="val_accuracy", patience=1)
    ran = drive_fit(CallbackList([stopper], model=model), model,
                    epoch_logs([0.5, 0.7, 0.6], key="val_accuracy"))
    assert ran == [0, 1, 2] and stopper.best == 0.7 and stopper.stopped_epoch == 2


def test_auto_mode_cannot_guess_an_unknown_metric(make_fake_model):
    stopper = EarlyStopping(monitor="val_f1")
    stopper.set_model(make_fake_model())
    stopper.on_train_begin()
    with pytest.raises(ValueError, match=r"EarlyStopping: cannot tell whether the monitored "
                                         r"metric should be maximized or minimized.*"
                                         r"Received: monitor='val_f1'. Pass mode='max'"):
        stopper.on_epoch_end(0, {"val_f1": 0.5})


def test_an_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match=r"EarlyStopping mode 'lowest' is unknown, fallback to "
                                         r"auto mode."):
        stopper = EarlyStopping(mode="lowest")
    assert stopper.mode == "auto"
    with pytest.warns(UserWarning, match="MonitorCallback mode 'x' is unknown"):
        MonitorCallback(mode="x")
