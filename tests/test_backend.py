"""`kernelkit.backend` against `keras.backend`: names, clear_session, uids, dtypes, tensors."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import backend, config
from tests.keras_oracle import keras


def test_every_keras_backend_name_exists():
    public = {n for n in dir(keras.backend) if not n.startswith("_")}
    assert public <= set(backend.__all__)
    assert all(callable(getattr(backend, n)) for n in public)
    assert backend.backend() == keras.backend.backend() == "jax"


def test_clear_session_resets_what_keras_resets():
    for lib in (config, keras.config):
        lib.disable_interactive_logging()
        lib.disable_traceback_filtering()
        lib.disable_flash_attention()
        lib.set_dtype_policy("mixed_float16")
        lib.set_epsilon(1e-3)
    config.enable_unsafe_deserialization()
    kk.layers.Dense(1)
    keras.layers.Dense(1)
    try:
        backend.clear_session(free_memory=False)
        keras.backend.clear_session(free_memory=False)
        for name in ["is_interactive_logging_enabled", "is_traceback_filtering_enabled",
                     "is_flash_attention_enabled", "epsilon"]:
            assert getattr(config, name)() == getattr(keras.config, name)(), name
        assert config.dtype_policy().name == keras.config.dtype_policy().name == "float32"
        assert not config.is_unsafe_deserialization_enabled()
        assert kk.layers.Dense(1).name == keras.layers.Dense(1).name == "dense"
    finally:
        config.set_epsilon(1e-7)
        keras.config.set_epsilon(1e-7)


def test_get_uid_counts_like_keras_and_shares_layer_names():
    backend.clear_session()
    keras.backend.clear_session()
    kk.layers.Dense(1)
    keras.layers.Dense(1)
    ours = [backend.get_uid("dense"), backend.get_uid("dense"), backend.get_uid("other")]
    theirs = [keras.backend.get_uid("dense"), keras.backend.get_uid("dense"),
              keras.backend.get_uid("other")]
    assert ours == theirs == [2, 3, 1]
    assert kk.layers.Dense(1).name == keras.layers.Dense(1).name == "dense_3"


def test_is_keras_tensor():
    x = kk.Input((3,))
    assert backend.is_keras_tensor(x) and backend.is_keras_tensor(kk.layers.Dense(2)(x))
    assert keras.backend.is_keras_tensor(keras.Input((3,)))
    for value in (np.ones(3), jax.numpy.ones(3), 1.0, keras.Input((3,))):
        assert not backend.is_keras_tensor(value)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "uint8", "bool",
                                   np.float64, "int64"])
def test_dtype_helpers_match_keras(dtype):
    assert backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)
    assert backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)
    assert backend.result_type(dtype, "float16") == keras.backend.result_type(dtype, "float16")


def test_settings_are_the_config_ones():
    backend.set_floatx("float16")
    try:
        assert config.floatx() == backend.floatx() == "float16"
    finally:
        backend.set_floatx("float32")
    backend.set_image_data_format("channels_first")
    try:
        assert kk.layers.MaxPooling2D().data_format == "channels_first"
    finally:
        backend.set_image_data_format("channels_last")
    assert backend.epsilon() == keras.backend.epsilon()
