"""`serialize_keras_object` & co., `CustomObjectScope`, `layers.serialize`: against Keras 3."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import saving
from kernelkit.errors import UnsafeModelError
from tests.keras_oracle import keras


def _json(value):
    return json.loads(json.dumps(value))


def _pairs():
    return [
        ("l2", kk.regularizers.L2(0.25), keras.regularizers.L2(0.25)),
        ("mse", kk.losses.MeanSquaredError(), keras.losses.MeanSquaredError()),
        ("glorot", kk.initializers.GlorotUniform(seed=1), keras.initializers.GlorotUniform(1)),
        ("adam", kk.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3)),
        ("policy", kk.dtype_policies.DTypePolicy("mixed_float16"),
         keras.DTypePolicy("mixed_float16")),
    ]


VALUES = [None, 3, 2.5, "text", True, (1, 2), [1, (2, 3)], {"a": (1,)}, b"ab", slice(1, 4),
          Ellipsis, np.array([1.0, 2.0]), np.float32(2.0), np.int64(3)]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_plain_values_serialize_like_keras(value):
    ours = saving.serialize_keras_object(value)
    assert ours == keras.saving.serialize_keras_object(value)
    again = saving.deserialize_keras_object(ours)
    reference = keras.saving.deserialize_keras_object(ours)
    if isinstance(reference, np.ndarray):
        np.testing.assert_array_equal(again, reference)
    else:
        assert again == reference


def test_jax_array_serializes_as_tensor():
    ours = saving.serialize_keras_object(jnp.ones(2))
    assert ours == keras.saving.serialize_keras_object(keras.ops.ones(2))
    np.testing.assert_array_equal(saving.deserialize_keras_object(ours), np.ones(2))


@pytest.mark.parametrize("name, ours, theirs", _pairs(), ids=[p[0] for p in _pairs()])
def test_objects_serialize_like_keras_and_load_keras_configs(name, ours, theirs):
    written = saving.serialize_keras_object(ours)
    assert _json(written) == _json(keras.saving.serialize_keras_object(theirs))
    rebuilt = saving.deserialize_keras_object(_json(keras.saving.serialize_keras_object(theirs)))
    assert type(rebuilt) is type(ours)
    assert rebuilt.get_config() == ours.get_config()


def test_built_layer_carries_build_config_like_keras():
    ours, theirs = kk.layers.Dense(2), keras.layers.Dense(2)
    ours.build((None, 3))
    theirs.build((None, 3))
    written = _json(saving.serialize_keras_object(ours))
    expected = _json(keras.saving.serialize_keras_object(theirs))
    assert written["build_config"] == expected["build_config"]
    assert written == _json(kk.layers.serialize(ours))
    for rebuilt in (saving.deserialize_keras_object(expected), kk.layers.deserialize(expected)):
        assert rebuilt.built and rebuilt.units == 2


def test_layers_deserialize_refuses_non_layers():
    with pytest.raises(ValueError):
        keras.layers.deserialize(keras.saving.serialize_keras_object(keras.regularizers.L2()))
    with pytest.raises(ValueError, match="does not describe a layer"):
        kk.layers.deserialize(saving.serialize_keras_object(kk.regularizers.L2()))


def test_functions_round_trip_by_name():
    written = saving.serialize_keras_object(kk.activations.relu)
    assert (written["class_name"], written["config"]) == ("function", "relu")
    assert saving.deserialize_keras_object(written) is kk.activations.relu
    keras_written = keras.saving.serialize_keras_object(keras.activations.relu)
    assert saving.deserialize_keras_object(keras_written) is kk.activations.relu


def test_unregistered_names_are_refused_never_imported():
    config = {"module": "os", "class_name": "system", "config": {}, "registered_name": None}
    with pytest.raises(UnsafeModelError, match="not a registered"):
        saving.deserialize_keras_object(config)
    lam = {"class_name": "__lambda__", "config": {"code": "", "defaults": None,
                                                  "closure": None}}
    with pytest.raises(UnsafeModelError, match="lambda"):
        saving.deserialize_keras_object(lam)


def test_custom_object_scope_and_custom_objects_resolve_user_classes():
    class Scale:
        def __init__(self, factor=2.0):
            self.factor = factor

        def get_config(self):
            return {"factor": self.factor}

    config = {"module": None, "class_name": "Scale", "config": {"factor": 3.0},
              "registered_name": "Scale"}
    with pytest.raises(UnsafeModelError):
        saving.deserialize_keras_object(config)
    with saving.CustomObjectScope({"Scale": Scale}):
        assert saving.deserialize_keras_object(config).factor == 3.0
    with saving.custom_object_scope({"Other": int}, {"Scale": Scale}):
        assert saving.deserialize_keras_object(config).factor == 3.0
    assert saving.deserialize_keras_object(config, custom_objects={"Scale": Scale}).factor == 3
    assert saving.custom_object_scope is saving.CustomObjectScope
    assert keras.saving.custom_object_scope is keras.saving.CustomObjectScope
    with pytest.raises(TypeError, match="must be a dict"):
        saving.CustomObjectScope(["Scale"])


def test_get_custom_objects_is_the_live_registry_like_keras():
    for module in (keras.saving, saving):
        @module.register_keras_serializable(package="helpers_test")
        class Thing:
            def get_config(self):
                return {}

        assert module.get_custom_objects()["helpers_test>Thing"] is Thing
        del module.get_custom_objects()["helpers_test>Thing"]
    saving.get_custom_objects()["Thing2"] = dict
    try:
        assert saving.get_registered_object("Thing2") is dict
    finally:
        del saving.get_custom_objects()["Thing2"]


NOT_YET = set()  # every keras.saving name exists


def test_every_keras_saving_name_exists():
    names = {n for n in dir(keras.saving) if not n.startswith("_")}
    assert sorted(n for n in names if not hasattr(saving, n)) == sorted(NOT_YET)
