"""Test set-up: Keras 3 (the oracle) runs on the JAX backend; names restart for each test, and
the global numeric settings of both libraries go back to their defaults after each test."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import sys  # noqa: E402

import pytest  # noqa: E402

from kernelkit.naming import reset_names  # noqa: E402
from kernelkit.random import set_random_seed  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_names_and_seed():
    reset_names()
    set_random_seed(1234)
    yield


@pytest.fixture(autouse=True)
def _default_global_settings():
    """A test that changes floatx, epsilon, the image layout or the dtype policy (of kernelkit
    or of Keras, the oracle) cannot change the numbers of the tests that run after it."""
    yield
    from kernelkit import config

    config.set_floatx("float32")
    config.set_epsilon(1e-7)
    config.set_image_data_format("channels_last")
    config.set_dtype_policy(None)
    keras = sys.modules.get("keras")
    if keras is not None and hasattr(keras, "config"):
        keras.config.set_floatx("float32")
        keras.config.set_epsilon(1e-7)
        keras.config.set_image_data_format("channels_last")
        keras.config.set_dtype_policy("float32")

