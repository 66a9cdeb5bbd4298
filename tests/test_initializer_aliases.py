"""Initializer aliases: every Keras snake_case and long name is the same class as in Keras."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

ALIASES = [name for name in dir(keras.initializers)
           if not name.startswith("_") and isinstance(getattr(keras.initializers, name), type)]


@pytest.mark.parametrize("name", ALIASES)
def test_alias_is_the_class_keras_names(name):
    keras_cls = getattr(keras.initializers, name)
    kk_cls = getattr(kk.initializers, name)
    assert isinstance(kk_cls, type)
    assert kk_cls.__name__ == keras_cls.__name__
    assert name in kk.initializers.__all__


@pytest.mark.parametrize("name", ["glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
                                  "lecun_normal", "lecun_uniform", "random_normal",
                                  "random_uniform", "truncated_normal", "orthogonal",
                                  "variance_scaling"])
def test_seeded_alias_draws_like_keras(name):
    ours = getattr(kk.initializers, name)(seed=3)
    theirs = getattr(keras.initializers, name)(seed=3)
    np.testing.assert_allclose(np.asarray(ours((4, 5))), np.asarray(theirs((4, 5))),
                               rtol=1e-5, atol=1e-6)
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("name, shape", [("zeros", (2, 3)), ("ones", (2, 3)),
                                         ("identity", (3, 3)), ("constant", (2,))])
def test_constant_alias_values_like_keras(name, shape):
    ours, theirs = getattr(kk.initializers, name)(), getattr(keras.initializers, name)()
    np.testing.assert_array_equal(np.asarray(ours(shape)), np.asarray(theirs(shape)))
    # Keras's Identity writes {} and so drops `gain`; ours keeps it, and Keras reads it back
    assert {k: v for k, v in ours.get_config().items() if k != "gain"} == theirs.get_config()
    assert type(theirs).from_config(ours.get_config()).get_config() == theirs.get_config()


@pytest.mark.parametrize("name", ["IdentityInitializer", "OrthogonalInitializer",
                                  "STFTInitializer"])
def test_long_names_round_trip_through_get(name):
    instance = kk.initializers.get(name)
    assert isinstance(instance, getattr(kk.initializers, name))
    config = kk.initializers.serialize(instance)
    assert type(kk.initializers.deserialize(config)) is type(instance)
