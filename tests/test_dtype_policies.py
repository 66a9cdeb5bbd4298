"""Dtype policies and mixed precision, differential against Keras 3's `keras.dtype_policies`."""

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import dtype_policies, mixed_precision
from tests.keras_oracle import keras

NAMES = ["float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16",
         "int32", "uint8", "bool"]


@pytest.fixture
def restore_policy():
    yield
    mixed_precision.set_global_policy(None)
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("name", NAMES)
def test_policy_matches_keras(name):
    ours, theirs = dtype_policies.DTypePolicy(name), keras.dtype_policies.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, ours.quantization_mode) == (
        theirs.name, theirs.compute_dtype, theirs.variable_dtype, theirs.quantization_mode)
    assert repr(ours) == repr(theirs)
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)) == ours


@pytest.mark.parametrize("identifier", [None, "mixed_bfloat16", np.float16, "float64",
                                        {"class_name": "DTypePolicy",
                                         "config": {"name": "bfloat16"}}, float, int])
def test_get_matches_keras(identifier):
    assert repr(dtype_policies.get(identifier)) == repr(keras.dtype_policies.get(identifier))


@pytest.mark.parametrize("bad", ["float", "mixed_int8", "nonsense"])
def test_unknown_names_raise_value_error(bad):
    with pytest.raises(ValueError):
        keras.dtype_policies.DTypePolicy(bad)
    with pytest.raises(ValueError, match="unknown dtype policy"):
        dtype_policies.DTypePolicy(bad)
    with pytest.raises(TypeError):
        dtype_policies.DTypePolicy(3)


def test_keras_2_policy_configs_read_as_dtype_policies():
    legacy = {"class_name": "Policy", "config": {"name": "mixed_float16"}}
    assert dtype_policies.get(legacy) == dtype_policies.DTypePolicy("mixed_float16")
    layer = kk.layers.Dense(2, dtype=legacy)
    assert layer.compute_dtype == "float16" and layer.dtype == "float32"
    assert dtype_policies.serialize(layer.dtype_policy)["class_name"] == "DTypePolicy"


def test_float_policy_and_equality():
    assert dtype_policies.FloatDTypePolicy("float16") == dtype_policies.DTypePolicy("float16")
    assert repr(dtype_policies.FloatDTypePolicy("float16")) == repr(
        keras.dtype_policies.FloatDTypePolicy("float16"))
    assert dtype_policies.DTypePolicy("float16") != dtype_policies.DTypePolicy("float32")
    assert dtype_policies.DTypePolicy("mixed_float16") == "mixed_float16"


@pytest.mark.parametrize("cls, args", [("QuantizedDTypePolicy", ("int8", "float32")),
                                       ("QuantizedFloat8DTypePolicy", ("float8", "float32")),
                                       ("Int4DTypePolicy", ("int4/128", "float32")),
                                       ("GPTQDTypePolicy", ("gptq/4/128", "float32")),
                                       ("AWQDTypePolicy", ("awq/4/128", "float32"))])
def test_quantized_policies_raise_not_implemented(cls, args):
    getattr(keras.dtype_policies, cls)(*args)  # Keras builds it
    with pytest.raises(NotImplementedError, match="float policy such as"):
        getattr(dtype_policies, cls)(*args)
    with pytest.raises(NotImplementedError):
        dtype_policies.get(f"{args[0]}_from_{args[1]}")


def test_policy_map_lookup_and_config_match_keras():
    def build(module):
        policies = module.DTypePolicyMap(default_policy="float32")
        policies["encoder/.*"] = "bfloat16"
        policies["decoder"] = module.DTypePolicy("float16")
        policies["encoder/attention/.*"] = "float16"
        return policies

    ours, theirs = build(dtype_policies), build(keras.dtype_policies)
    for path in ["encoder/dense", "decoder", "decoder/attention", "other"]:
        assert ours[path].name == theirs[path].name
    for module in (keras.dtype_policies, dtype_policies):
        with pytest.raises(ValueError):
            build(module)["encoder/attention/query"]
    assert (ours.name, len(ours), sorted(ours)) == (theirs.name, len(theirs), sorted(theirs))
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    again = dtype_policies.deserialize(keras.dtype_policies.serialize(theirs))
    assert [again[k].name for k in again] == [theirs[k].name for k in theirs]
    with pytest.raises(ValueError, match="already set"):
        ours["decoder"] = "float32"
    del ours["decoder"]
    assert "decoder" not in ours


def test_policy_map_without_default_writes_null_names_like_keras():
    ours, theirs = dtype_policies.DTypePolicyMap(), keras.dtype_policies.DTypePolicyMap()
    ours["a"], theirs["a"] = "bfloat16", "bfloat16"
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert ours["a"].name == "bfloat16"  # writing the config leaves the map itself alone


@pytest.mark.parametrize("name, compute", [("mixed_bfloat16", "bfloat16"),
                                           ("mixed_float16", "float16")])
def test_global_mixed_policy_computes_low_with_float32_variables(restore_policy, name, compute):
    mixed_precision.set_global_policy(name)
    keras.mixed_precision.set_global_policy(name)
    assert repr(mixed_precision.global_policy()) == repr(keras.mixed_precision.global_policy())
    assert kk.config.dtype_policy().name == name
    ours, theirs = kk.layers.Dense(3), keras.layers.Dense(3)
    x = np.ones((2, 4), "float32")
    y, ky = ours(x), theirs(x)
    assert y.dtype == jnp.dtype(compute) == np.dtype(str(ky.dtype))
    assert ours.get_weights()[0].dtype == np.float32
    assert repr(ours.dtype_policy) == repr(theirs.dtype_policy)
    assert (ours.dtype, ours.compute_dtype) == (theirs.dtype, theirs.compute_dtype)
    assert ours.get_config()["dtype"] == theirs.get_config()["dtype"]


def test_set_global_policy_accepts_policy_objects_and_refuses_other_values(restore_policy):
    mixed_precision.set_global_policy(mixed_precision.Policy("mixed_bfloat16"))
    assert mixed_precision.dtype_policy().compute_dtype == "bfloat16"
    with pytest.raises(ValueError):
        keras.mixed_precision.set_global_policy(3)
    with pytest.raises(ValueError, match="Expected the name of a policy"):
        mixed_precision.set_global_policy(3)
    mixed_precision.set_global_policy(None)
    assert mixed_precision.global_policy() == dtype_policies.DTypePolicy("float32")


def test_convert_input_casts_only_floats():
    policy = dtype_policies.DTypePolicy("mixed_float16")
    theirs = keras.dtype_policies.DTypePolicy("mixed_float16")
    for x in [np.ones(3, "float32"), np.arange(3), jnp.ones(2, "bfloat16")]:
        for autocast in (True, False):
            ours_out = policy.convert_input(x, autocast, "float16")
            keras_out = theirs.convert_input(x, autocast, "float16")
            assert np.dtype(ours_out.dtype) == np.dtype(str(keras_out.dtype))
    assert policy.convert_input("text", True, "float16") == "text"


def test_mixed_precision_names():
    assert mixed_precision.LossScaleOptimizer is kk.optimizers.LossScaleOptimizer
    assert mixed_precision.Policy is dtype_policies.DTypePolicy


@pytest.mark.parametrize("module", ["dtype_policies", "mixed_precision"])
def test_every_keras_name_exists(module):
    names = {n for n in dir(getattr(keras, module)) if not n.startswith("_")}
    missing = sorted(n for n in names if not hasattr(getattr(kk, module), n))
    assert missing == []
