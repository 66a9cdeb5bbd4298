"""OrbaxCheckpoint: the checkpoints Orbax writes, what they hold, and when they are written."""

import json

import numpy as np
import orbax.checkpoint as ocp
import pytest

import kernelkit as kk

RNG = np.random.default_rng(8)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ RNG.normal(size=(3, 1))).astype("float32")


def _model():
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(2, name="hidden"),
                           kk.layers.BatchNormalization(), kk.layers.Dense(1)])
    model.compile(kk.optimizers.Adam(0.01), "mse")
    return model


def _restore(directory, step):
    manager = ocp.CheckpointManager(str(directory))
    return manager, manager.restore(step, args=ocp.args.Composite(
        pytree=ocp.args.StandardRestore(), model_config=ocp.args.JsonRestore()))


def test_epoch_checkpoints_hold_weights_optimizer_variables_and_config(tmp_path):
    model = _model()
    model.fit(X, Y, epochs=3, batch_size=8, verbose=0,
              callbacks=[kk.callbacks.OrbaxCheckpoint(tmp_path, max_to_keep=2)])
    manager, restored = _restore(tmp_path, 2)
    assert manager.all_steps() == [1, 2]
    tree = restored.pytree
    for saved, weight in zip(tree["trainable_variables"], model.trainable_weights):
        np.testing.assert_array_equal(saved, np.asarray(weight))
    for saved, weight in zip(tree["non_trainable_variables"], model.non_trainable_weights):
        np.testing.assert_array_equal(saved, np.asarray(weight))
    assert len(tree["non_trainable_variables"]) == 2  # BatchNormalization's moving stats
    expected = model._saved_optimizer_variables()
    assert len(tree["optimizer_variables"]) == len(expected)
    for saved, variable in zip(tree["optimizer_variables"], expected):
        np.testing.assert_array_equal(saved, variable)
    assert restored.model_config == json.loads(model.to_json())


def test_batch_frequency_and_weights_only(tmp_path):
    model = _model()
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0,
              callbacks=[kk.callbacks.OrbaxCheckpoint(tmp_path, save_freq=3, max_to_keep=None,
                                                      save_weights_only=True,
                                                      save_on_background=False)])
    manager = ocp.CheckpointManager(str(tmp_path))
    assert manager.all_steps() == [3, 6]
    tree = manager.restore(6, args=ocp.args.Composite(pytree=ocp.args.StandardRestore())).pytree
    assert set(tree) == {"trainable_variables", "non_trainable_variables"}


def test_save_best_only_saves_on_improvement(tmp_path):
    callback = kk.callbacks.OrbaxCheckpoint(tmp_path, monitor="loss", save_best_only=True,
                                            max_to_keep=None, save_on_background=False)
    callback.set_model(_model())
    for epoch, loss in enumerate([1.0, 2.0, 0.5, 0.7]):
        callback.on_epoch_end(epoch, {"loss": loss})
    with pytest.warns(UserWarning, match="Can save best model only with loss available"):
        callback.on_epoch_end(4, {})
    callback.wait_until_finished()
    assert callback.checkpointer.all_steps() == [0, 2]


def test_bad_save_freq_is_refused(tmp_path):
    with pytest.raises(ValueError, match="save_freq"):
        kk.callbacks.OrbaxCheckpoint(tmp_path, save_freq="sometimes")
