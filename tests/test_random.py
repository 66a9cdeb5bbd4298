"""Random: the global seed, and keys that match Keras 3's for an integer seed."""

import random

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.random import draw_seed, next_key, set_random_seed
from tests.keras_oracle import keras


def test_set_random_seed_repeats_draws():
    set_random_seed(7)
    first = [draw_seed() for _ in range(3)], random.random(), np.random.rand()
    set_random_seed(7)
    assert first == ([draw_seed() for _ in range(3)], random.random(), np.random.rand())
    set_random_seed(8)
    assert [draw_seed() for _ in range(3)] != first[0]


def test_set_random_seed_makes_initializer_draws_reproducible():
    def draws():
        return [np.asarray(kk.initializers.get(name)((4, 3)))
                for name in ["glorot_uniform", "he_normal", "random_normal", "orthogonal"]]

    set_random_seed(2024)
    a = draws()
    set_random_seed(2024)
    b = draws()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_numpy_integer_and_large_seeds_are_accepted():
    set_random_seed(np.int64(3))
    set_random_seed(2**40)
    assert 0 <= draw_seed() < 2**31


@pytest.mark.parametrize("seed", ["1", 1.5, True, None, [1]])
def test_bad_seed_raises_type_error(seed):
    with pytest.raises(TypeError, match=r"set_random_seed: the seed must be an integer.*Received"):
        set_random_seed(seed)


def test_next_key_matches_keras_seed():
    for seed in [0, 5, 2**31 + 3]:
        ours = jax.random.normal(next_key(seed), (4,))
        theirs = keras.random.normal((4,), seed=seed)
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def test_next_key_without_seed_uses_the_global_generator():
    set_random_seed(1)
    a = jax.random.key_data(next_key())
    set_random_seed(1)
    assert (jax.random.key_data(next_key()) == a).all()


def test_next_key_rejects_bad_seed():
    with pytest.raises(TypeError, match="next_key: the seed must be an integer"):
        next_key("x")
