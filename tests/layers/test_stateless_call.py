"""`Layer.stateless_call`: pure forward passes, differential against Keras 3's."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

X = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")


def _model(lib):
    inputs = lib.Input((4,))
    h = lib.layers.Dense(3, name="hidden")(inputs)
    h = lib.layers.BatchNormalization(name="norm")(h)
    h = lib.layers.ActivityRegularization(l1=0.01, name="act_reg")(h)
    return lib.Model(inputs, lib.layers.Dense(2, kernel_regularizer="l2", name="out")(h))


@pytest.fixture(scope="module")
def models():
    theirs = _model(keras)
    ours = _model(kk)
    ours.set_weights(theirs.get_weights())
    return ours, theirs


def _values(variables):
    return [np.asarray(v.value) + 0.1 * i for i, v in enumerate(variables)]  # not the initials


def _close(a, b, atol=1e-5):
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), atol=atol)


def test_variable_lists_are_in_keras_order(models):
    ours, theirs = models
    for what in ("trainable_variables", "non_trainable_variables"):
        assert [v.path for v in getattr(ours, what)] == [v.path for v in getattr(theirs, what)]


@pytest.mark.parametrize("training", [True, False])
def test_outputs_new_state_and_losses_match_keras(models, training):
    ours, theirs = models
    trainable, non_trainable = _values(theirs.trainable_variables), _values(
        theirs.non_trainable_variables)
    want = theirs.stateless_call(trainable, non_trainable, X, training=training,
                                 return_losses=True)
    before = ours.get_weights()
    got = jax.jit(lambda t, n, x: ours.stateless_call(t, n, x, training=training,
                                                      return_losses=True))(
        trainable, non_trainable, X)
    _close(got[0], want[0])
    _close(got[1], want[1])
    assert len(got[2]) == len(want[2])
    np.testing.assert_allclose(float(sum(got[2])), float(sum(want[2])), rtol=1e-5)
    if training:  # the moving statistics moved, and the model did not
        assert not np.allclose(np.asarray(got[1][0]), non_trainable[0])
    for old, new in zip(before, ours.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_eager_call_returns_two_items_and_leaves_the_layer(models):
    ours, theirs = models
    layer, their_layer = ours.get_layer("norm"), theirs.get_layer("norm")
    trainable = _values(their_layer.trainable_variables)
    non_trainable = _values(their_layer.non_trainable_variables)
    h = X[:, :3]
    result = layer.stateless_call(trainable, non_trainable, h, training=True)
    want = their_layer.stateless_call(trainable, non_trainable, h, training=True)
    assert len(result) == 2
    _close(result, want)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(3))


def test_wrong_lists_are_refused(models):
    ours, _ = models
    trainable = [v.value for v in ours.trainable_variables]
    non_trainable = [v.value for v in ours.non_trainable_variables]
    with pytest.raises(ValueError, match="trainable_variables"):
        ours.stateless_call(trainable[:-1], non_trainable, X)
    bad = [np.ones((5, 5), "float32"), *trainable[1:]]
    with pytest.raises(ValueError, match="hidden/kernel"):
        ours.stateless_call(bad, non_trainable, X)
    with pytest.raises(RuntimeError, match="built"):
        kk.layers.Dense(2).stateless_call([], [], X)
