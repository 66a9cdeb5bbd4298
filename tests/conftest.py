"""Test set-up: Keras 3 (the oracle) runs on the JAX backend; names restart for each test."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import pytest  # noqa: E402

from kernelkit.naming import reset_names  # noqa: E402
from kernelkit.random import set_random_seed  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_names_and_seed():
    reset_names()
    set_random_seed(1234)
    yield
