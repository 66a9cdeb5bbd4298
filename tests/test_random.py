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


# ---- keras.random: distributions, SeedGenerator, and random state inside fit() ---------------

from kernelkit import random as kr  # noqa: E402

LOGITS = np.log(np.array([[0.2, 0.3, 0.5], [0.7, 0.2, 0.1]], "float32"))
X = np.arange(24, dtype="float32").reshape(4, 6)

N = 4000  # one sample size for every draw, so each distribution compiles once

DRAWS = {
    "normal": lambda r, seed: r.normal((N,), mean=1.0, stddev=2.0, seed=seed),
    "uniform": lambda r, seed: r.uniform((N,), minval=-1.0, maxval=3.0, seed=seed),
    "truncated_normal": lambda r, seed: r.truncated_normal((N,), seed=seed),
    "randint": lambda r, seed: r.randint((N,), 0, 10, seed=seed),
    "categorical": lambda r, seed: r.categorical(LOGITS, 5, seed=seed),
    "dropout": lambda r, seed: r.dropout(X, 0.5, seed=seed),
    "dropout_noise_shape": lambda r, seed: r.dropout(X, 0.3, noise_shape=(None, 1), seed=seed),
    "shuffle": lambda r, seed: r.shuffle(X, axis=1, seed=seed),
    "gamma": lambda r, seed: r.gamma((N,), alpha=3.0, seed=seed),
    "beta": lambda r, seed: r.beta((N,), alpha=2.0, beta=3.0, seed=seed),
    "binomial": lambda r, seed: r.binomial((N,), counts=10, probabilities=0.3, seed=seed),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_int_seed_gives_keras_numbers_every_time(name):
    draw = DRAWS[name]
    ours, theirs = np.asarray(draw(kr, 1234)), np.asarray(draw(keras.random, 1234))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(np.asarray(draw(kr, 1234)), ours)


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_seed_generator_stream_matches_keras(name):
    ours_gen, theirs_gen = kr.SeedGenerator(7), keras.random.SeedGenerator(7)
    ours = [np.asarray(DRAWS[name](kr, ours_gen)) for _ in range(3)]
    theirs = [np.asarray(DRAWS[name](keras.random, theirs_gen)) for _ in range(3)]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    assert not np.array_equal(ours[0], ours[1])
    np.testing.assert_array_equal(ours_gen.state.numpy(), np.asarray(theirs_gen.state.value))


MOMENTS = {  # name: (expected mean, expected std) of DRAWS[name]
    "normal": (1.0, 2.0),
    "uniform": (1.0, 4 / np.sqrt(12)),
    "truncated_normal": (0.0, 0.880),
    "gamma": (3.0, np.sqrt(3.0)),
    "beta": (0.4, 0.2),
    "binomial": (3.0, np.sqrt(2.1)),
    "randint": (4.5, np.sqrt(99 / 12)),
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_unseeded_draws_have_keras_moments(name):
    mean, std = MOMENTS[name]
    ours = np.asarray(DRAWS[name](kr, None), "float64")
    theirs = np.asarray(DRAWS[name](keras.random, None), "float64")
    for x in (ours, theirs):
        assert abs(x.mean() - mean) < 0.1 * max(1.0, std)
        assert abs(x.std() - std) < 0.1 * std
    assert abs(ours.mean() - theirs.mean()) < 0.1 * max(1.0, std)


def test_categorical_frequencies_follow_the_logits():
    counts = np.bincount(np.asarray(kr.categorical(LOGITS[:1], 20000, seed=3))[0], minlength=3)
    np.testing.assert_allclose(counts / 20000, [0.2, 0.3, 0.5], atol=0.02)


def test_unseeded_draws_follow_set_random_seed_and_differ_between_calls():
    set_random_seed(11)
    a, b = kr.normal((3,)), kr.normal((3,))
    set_random_seed(11)
    np.testing.assert_array_equal(np.asarray(kr.normal((3,))), np.asarray(a))
    assert not np.array_equal(np.asarray(a), np.asarray(b))


def test_unseeded_draw_inside_jit_is_refused_but_a_generator_works():
    with pytest.raises(ValueError, match=r"kernelkit.random.normal: cannot draw from the global"):
        jax.jit(lambda: kr.normal((2,)))()
    key_data = jax.jit(lambda: kr.uniform((2,), seed=5))()
    np.testing.assert_array_equal(np.asarray(key_data), np.asarray(kr.uniform((2,), seed=5)))


def test_seed_generator_config_names_and_errors_match_keras():
    ours, theirs = kr.SeedGenerator(3, name="noise"), keras.random.SeedGenerator(3, name="noise")
    assert ours.get_config() == theirs.get_config() == {"seed": 3, "name": "noise"}
    assert kr.SeedGenerator.from_config(ours.get_config()).state.numpy().tolist() == [3, 0]
    assert ours.state.name == theirs.state.name == "seed_generator_state"
    assert ours.state.path == theirs.state.path == "noise/seed_generator_state"
    assert ours.state.dtype == theirs.state.dtype == "uint32" and not ours.state.trainable
    assert ours.next(ordered=False).tolist() == [3, 0]
    theirs.next(ordered=False)
    np.testing.assert_array_equal(ours.state.numpy(), np.asarray(theirs.state.value))
    with pytest.raises(ValueError, match="SeedGenerator 'g': the seed must be an integer"):
        kr.SeedGenerator("3", name="g")
    with pytest.raises(ValueError, match="unrecognized keyword arguments"):
        kr.SeedGenerator(3, foo=1)
    for bad in ("x", 1.5):
        with pytest.raises(ValueError, match="kernelkit.random.uniform: invalid `seed`"):
            kr.uniform((2,), seed=bad)


def test_dtype_rules_match_keras():
    assert kr.normal((2,), seed=1).dtype == "float32"
    assert kr.normal((2,), dtype="float16", seed=1).dtype == "float16"
    assert kr.categorical(LOGITS, 2, dtype="int64" if jax.config.x64_enabled else "int16",
                          seed=1).dtype in ("int64", "int16")
    with pytest.raises(ValueError):
        keras.random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="uniform: requires a floating point `dtype`"):
        kr.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="randint: requires an integer `dtype`"):
        kr.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="`logits` must be 2-D"):
        kr.categorical(np.zeros(3), 1)
    kk.config.set_floatx("float16")
    try:
        assert kr.uniform((2,), seed=1).dtype == "float16"
    finally:
        kk.config.set_floatx("float32")


# A layer adding noise from its own SeedGenerator in training, in both libraries (registered
# under one name, so that each library loads the other's file).
@kk.saving.register_keras_serializable(package="random_tests", name="Noise")
class KKNoise(kk.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_gen = kr.SeedGenerator(seed)

    def call(self, x, training=False):
        return x + kr.normal(x.shape, seed=self.seed_gen) if training else x

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="random_tests", name="Noise")
class KKNoiseKeras(keras.layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_gen = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        return x + keras.random.normal(keras.ops.shape(x), seed=self.seed_gen) if training else x

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


FIT_X = np.linspace(0, 1, 16, dtype="float32").reshape(8, 2)


def _fit_noise_model(lib, noise, seed):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(2, kernel_initializer="ones"),
                            noise(seed=seed)])
    model.compile(lib.optimizers.SGD(0.1), "mse")
    losses = []
    log = lib.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: losses.append(float(logs["loss"])))
    model.fit(FIT_X, np.zeros((8, 2), "float32"), batch_size=2, epochs=2, shuffle=False,
              verbose=0, callbacks=[log])
    return model, losses


@pytest.fixture(scope="module")
def fitted():
    ours, ours_losses = _fit_noise_model(kk, KKNoise, 3)
    theirs, theirs_losses = _fit_noise_model(keras, KKNoiseKeras, 3)
    return ours, ours_losses, theirs, theirs_losses


def test_seed_generator_advances_at_every_fit_step_like_keras(fitted):
    ours, ours_losses, theirs, theirs_losses = fitted
    assert ours.layers[-1].seed_gen.state.numpy().tolist() == [3, 8]  # 2 epochs x 4 steps
    np.testing.assert_array_equal(ours.layers[-1].seed_gen.state.numpy(),
                                  np.asarray(theirs.layers[-1].seed_gen.state.value))
    np.testing.assert_allclose(ours_losses, theirs_losses, rtol=1e-4)  # same noise each step
    assert len(set(ours_losses)) == len(ours_losses)


def test_seed_generator_state_is_model_state_not_weights(fitted):
    ours, _, theirs, _ = fitted
    assert len(ours.weights) == len(theirs.weights) == 2  # kernel and bias only
    assert all("seed_generator" not in w.path for w in ours.weights)


def test_unseeded_generator_runs_repeat_after_set_random_seed():
    set_random_seed(5)
    _, first = _fit_noise_model(kk, KKNoise, None)
    set_random_seed(5)
    _, second = _fit_noise_model(kk, KKNoise, None)
    assert first == second


def test_seed_generator_survives_keras_file_round_trips(fitted, tmp_path):
    ours, _, theirs, _ = fitted
    ours.save(tmp_path / "ours.keras")
    theirs.save(tmp_path / "theirs.keras")
    for path in ("ours.keras", "theirs.keras"):
        mine = kk.saving.load_model(tmp_path / path)
        ref = keras.saving.load_model(tmp_path / path)
        # As in Keras, the file holds the seed (in the layer config), not the advanced state.
        assert mine.layers[-1].seed_gen.state.numpy().tolist() == [3, 0]
        np.testing.assert_array_equal(np.asarray(ref.layers[-1].seed_gen.state.value), [3, 0])
        for a, b in zip(mine.get_weights(), ref.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5)


@kk.saving.register_keras_serializable(package="random_tests")
class Sampling(kk.layers.Layer):
    """The VAE reparameterization: z = mean + exp(log_var / 2) * eps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_gen = kr.SeedGenerator(1337)

    def call(self, inputs):
        mean, log_var = inputs
        eps = kr.normal(mean.shape, seed=self.seed_gen)
        return mean + kk.ops.exp(0.5 * log_var) * eps


def test_vae_style_sampling_layer_trains_in_fit():
    set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    inputs = kk.Input((4,))
    z = Sampling()([kk.layers.Dense(2)(inputs), kk.layers.Dense(2)(inputs)])
    model = kk.Model(inputs, kk.layers.Dense(4)(z))
    model.compile(kk.optimizers.Adam(0.02), "mse")
    history = model.fit(x, x, batch_size=16, epochs=8, verbose=0)
    losses = history.history["loss"]
    assert np.isfinite(losses).all() and losses[-1] < losses[0]
    assert model.layers[3].seed_gen.state.numpy().tolist() == [1337, 32]


def test_backup_checkpoints_carry_the_generator_state(fitted, tmp_path):
    import h5py

    from kernelkit.saving.rng_state import read_rng_state, rng_variables, write_rng_state

    model = fitted[0]
    state = model.layers[-1].seed_gen.state
    assert any(v is state for v in rng_variables(model))
    with h5py.File(tmp_path / "rng.h5", "w") as handle:
        write_rng_state(handle, model)
    saved = state.numpy().copy()
    state.assign([3, 99])
    with h5py.File(tmp_path / "rng.h5", "r") as handle:
        assert read_rng_state(handle, model)
    np.testing.assert_array_equal(state.numpy(), saved)
