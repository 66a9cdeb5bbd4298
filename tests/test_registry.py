"""Registry: register_keras_serializable, custom objects, Keras's dict form, refusing unknowns."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import (
    IdentifierTypeError,
    custom_object_scope,
    deserialize,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize,
)
from tests.keras_oracle import keras


class Scaled:
    def __init__(self, factor=1.0):
        self.factor = factor

    def get_config(self):
        return {"factor": self.factor}


def test_registered_class_serializes_like_keras_and_round_trips():
    @register_keras_serializable(package="kk_reg_a")
    class Twice(Scaled):
        pass

    @keras.saving.register_keras_serializable(package="kk_reg_a")
    class TwiceKeras(Scaled):
        pass

    assert get_registered_name(Twice) == "kk_reg_a>Twice"
    assert get_registered_object("kk_reg_a>Twice") is Twice
    ours = serialize(Twice(3.0))
    theirs = keras.saving.serialize_keras_object(TwiceKeras(3.0))
    assert theirs["module"] == __name__ and theirs["registered_name"] == "kk_reg_a>TwiceKeras"
    assert ours == {**theirs, "class_name": "Twice", "registered_name": "kk_reg_a>Twice"}
    again = deserialize(ours)
    assert type(again) is Twice and again.factor == 3.0


def test_keras_written_config_of_a_registered_class_is_read():
    @register_keras_serializable(package="kk_reg_b")
    class Offset(Scaled):
        pass

    @keras.saving.register_keras_serializable(package="kk_reg_b", name="Offset")
    class OffsetKeras(Scaled):
        pass

    written = keras.saving.serialize_keras_object(OffsetKeras(2.0))
    assert written["registered_name"] == "kk_reg_b>Offset"
    assert deserialize(written).factor == 2.0


def test_register_under_a_custom_name_and_functions():
    @register_keras_serializable(package="kk_reg_c", name="triple")
    def times_three(x):
        return 3 * x

    assert get_registered_name(times_three) == "kk_reg_c>triple"
    assert serialize(times_three) == "kk_reg_c>triple"
    assert deserialize("kk_reg_c>triple") is times_three
    assert deserialize({"module": "builtins", "class_name": "function",
                        "config": "kk_reg_c>triple", "registered_name": "function"}) is times_three


def test_default_package_is_custom():
    @register_keras_serializable()
    class Plain(Scaled):
        pass

    assert get_registered_name(Plain) == "Custom>Plain"


def test_utils_reexports_the_same_functions():
    assert kk.utils.register_keras_serializable is register_keras_serializable
    # as in Keras, utils.custom_object_scope is the CustomObjectScope class itself
    assert kk.utils.custom_object_scope is kk.saving.CustomObjectScope


def test_unregistered_class_serializes_like_keras():
    assert serialize(Scaled(2.0)) == keras.saving.serialize_keras_object(Scaled(2.0)) == {
        "module": __name__, "class_name": "Scaled", "config": {"factor": 2.0},
        "registered_name": "Scaled"}


def test_custom_objects_resolve_unregistered_classes():
    config = {"module": "mylib", "class_name": "Scaled", "config": {"factor": 4.0},
              "registered_name": None}
    assert deserialize(config, custom_objects={"Scaled": Scaled}).factor == 4.0
    config = {**config, "registered_name": "mylib>Scaled"}  # falls back to class_name
    assert deserialize(config, custom_objects={"Scaled": Scaled}).factor == 4.0


def test_custom_object_scope_nests_and_ends():
    class Other(Scaled):
        pass

    config = {"class_name": "Thing", "config": {"factor": 5.0}}
    with custom_object_scope({"Thing": Scaled}):
        assert type(deserialize(config)) is Scaled
        with custom_object_scope({"Thing": Other}):
            assert type(deserialize(config)) is Other  # innermost wins
        assert type(deserialize(config)) is Scaled
    assert get_registered_object("Thing") is None
    with pytest.raises(UnsafeModelError, match="'Thing'"):
        deserialize(config)


def test_builtins_round_trip_in_keras_form():
    for obj, keras_obj in [
        (kk.initializers.GlorotUniform(seed=1), keras.initializers.GlorotUniform(seed=1)),
        (kk.regularizers.L1L2(0.1, 0.2), keras.regularizers.L1L2(0.1, 0.2)),
        (kk.constraints.MaxNorm(3), keras.constraints.MaxNorm(3)),
    ]:
        assert serialize(obj) == keras.saving.serialize_keras_object(keras_obj)
        assert deserialize(serialize(obj)).get_config() == obj.get_config()


def test_values_and_arrays_use_keras_forms():
    assert serialize([1, "a", None, (2, 3)]) == [1, "a", None, (2, 3)]
    assert serialize(np.float32(2.5)) == 2.5
    array = np.arange(4, dtype="float32").reshape(2, 2)
    written = serialize(array)
    assert written == keras.saving.serialize_keras_object(array)
    read = deserialize(written)
    np.testing.assert_array_equal(read, array)
    assert read.dtype == np.float32
    assert deserialize({"class_name": "__tuple__", "config": {"value": [1, 2]}}) == (1, 2)
    assert deserialize(3) == 3 and deserialize(None) is None


@pytest.mark.parametrize("config,match", [
    ({"module": "os", "class_name": "system", "config": {"command": "rm -rf /"},
      "registered_name": None}, r"layers\[0\]\.kernel_initializer: 'system' \(module 'os'\)"),
    ({"module": "builtins", "class_name": "eval", "config": {}, "registered_name": None},
     r"layers\[0\]\.kernel_initializer: 'eval' \(module 'builtins'\)"),
    ({"module": "builtins", "class_name": "function", "config": "eval",
      "registered_name": "function"}, r"'eval' \(module 'builtins'\) is not a registered"),
    ({"module": "subprocess", "class_name": "Popen", "config": {"args": ["ls"]},
      "registered_name": "subprocess>Popen"}, r"'subprocess>Popen' \(module 'subprocess'\)"),
    ("os.system", r"layers\[0\]\.kernel_initializer: 'os.system' is not a registered"),
    ({"class_name": "__lambda__", "config": {"code": "AAAA"}}, "holds a Python lambda"),
])
def test_deserialize_refuses_what_is_not_registered(config, match):
    with pytest.raises(UnsafeModelError, match=match):
        deserialize(config, where="layers[0].kernel_initializer")


def test_refusal_is_a_value_error_and_imports_nothing():
    import sys

    had = "smtplib" in sys.modules
    with pytest.raises(ValueError):
        deserialize({"module": "smtplib", "class_name": "SMTP", "config": {}})
    assert ("smtplib" in sys.modules) == had


def test_improperly_formatted_config():
    with pytest.raises(ValueError, match=r"model: improperly formatted config.*type list"):
        deserialize([1, 2], where="model")
    with pytest.raises(ValueError, match="improperly formatted config"):
        deserialize({"config": {}})


def test_serialize_needs_get_config():
    with pytest.raises(TypeError, match="cannot serialize an object of type object"):
        serialize(object())


def test_registration_errors():
    with pytest.raises(ValueError, match=r"package name contains '>'.*package='a>b'"):
        register_keras_serializable(package="a>b")

    class NoConfig:
        pass

    with pytest.raises(ValueError, match="class NoConfig cannot be serialized"):
        register_keras_serializable(package="kk_reg_d")(NoConfig)


def test_identifier_type_error_is_both_kinds():
    assert issubclass(IdentifierTypeError, TypeError)
    assert issubclass(IdentifierTypeError, ValueError)
