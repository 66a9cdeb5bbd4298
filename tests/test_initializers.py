"""Initializers: Keras 3's draws (bit for bit with a seed), statistics, seeding, get, configs."""

import jax.numpy as jnp
import numpy as np
import pytest
from keras.src.initializers import ALL_OBJECTS_DICT as KERAS_INITIALIZERS
from keras.src.initializers.random_initializers import compute_fans as keras_compute_fans

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.random import set_random_seed
from kernelkit.registry import IdentifierTypeError, register_keras_serializable
from tests.keras_oracle import keras

I = kk.initializers  # noqa: E741

SHAPES = [(7,), (3, 4), (5, 2), (3, 3, 4, 6), (2, 3, 5)]

SEEDED = [
    ("RandomNormal", {}), ("RandomNormal", {"mean": 1.0, "stddev": 2.0}),
    ("RandomUniform", {}), ("RandomUniform", {"minval": -3.0, "maxval": 1.0}),
    ("TruncatedNormal", {}), ("TruncatedNormal", {"mean": -1.0, "stddev": 0.5}),
    ("VarianceScaling", {}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"}),
    ("VarianceScaling", {"distribution": "normal"}),
    ("VarianceScaling", {"distribution": "Uniform"}),
    ("GlorotUniform", {}), ("GlorotNormal", {}), ("HeNormal", {}), ("HeUniform", {}),
    ("LecunNormal", {}), ("LecunUniform", {}),
    ("Orthogonal", {}), ("Orthogonal", {"gain": 2.5}),
]


@pytest.mark.parametrize("name,kwargs", SEEDED)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_seeded_draws_equal_keras_exactly(name, kwargs, shape):
    if name == "Orthogonal" and len(shape) < 2:
        return
    ours = getattr(I, name)(seed=1337, **kwargs)(shape)
    theirs = getattr(keras.initializers, name)(seed=1337, **kwargs)(shape)
    assert ours.shape == tuple(shape) and ours.dtype == theirs.dtype
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "bfloat16", "float16"])
def test_seeded_draws_equal_keras_in_other_dtypes(dtype):
    for name in ["RandomNormal", "RandomUniform", "GlorotUniform", "HeNormal"]:
        ours = getattr(I, name)(seed=7)((4, 5), dtype=dtype)
        theirs = getattr(keras.initializers, name)(seed=7)((4, 5), dtype=dtype)
        assert ours.dtype == jnp.dtype(dtype)
        np.testing.assert_array_equal(np.asarray(ours, "float32"), np.asarray(theirs, "float32"))


@pytest.mark.parametrize("name,kwargs,shape,dtype", [
    ("Zeros", {}, (2, 3), None), ("Zeros", {}, (4,), "int32"),
    ("Ones", {}, (2, 3), None), ("Ones", {}, (3,), "bfloat16"),
    ("Constant", {}, (2, 2), None), ("Constant", {"value": 3.5}, (2, 3), None),
    ("Constant", {"value": 7}, (3,), "int32"),
    ("Constant", {"value": np.array([1.0, 2.0, 3.0])}, (2, 3), None),
    ("Identity", {}, (3, 3), None), ("Identity", {"gain": 2.0}, (2, 4), None),
    ("Identity", {}, (4, 2), "float16"),
])
def test_constant_initializers_equal_keras(name, kwargs, shape, dtype):
    ours = getattr(I, name)(**kwargs)(shape, dtype=dtype)
    theirs = getattr(keras.initializers, name)(**kwargs)(shape, dtype=dtype)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


@pytest.mark.parametrize("kwargs", [
    {}, {"side": "imag"}, {"window": "hamming", "periodic": True}, {"scaling": "spectrum"},
    {"scaling": None}, {"window": None}, {"window": [0.1, 0.5, 1.0, 0.5, 0.1, 0.0]},
])
def test_stft_equals_keras(kwargs):
    shape = (6, 1, 4)
    ours = I.STFT(**kwargs)(shape)
    theirs = keras.initializers.STFT(**kwargs)(shape)
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-6)


@pytest.mark.parametrize("shape", [(), (5,), (3, 7), (3, 3, 16, 32), (2, 5, 5, 4, 8), (1, 1, 1)])
def test_compute_fans_match_keras(shape):
    assert I.compute_fans(shape) == keras_compute_fans(shape)
    if len(shape) >= 2:
        axes = ([0], list(range(1, len(shape))))
        assert I.compute_fans(shape, *axes) == keras_compute_fans(shape, *axes)


def test_conv_kernel_statistics_follow_keras_fans():
    shape = (3, 3, 32, 64)  # fan_in = 288, fan_out = 576
    glorot = np.asarray(I.GlorotUniform(seed=0)(shape))
    limit = np.sqrt(6.0 / (288 + 576))
    assert np.abs(glorot).max() <= limit and np.abs(glorot).max() > 0.99 * limit
    assert abs(glorot.std() - limit / np.sqrt(3)) < 0.02 * limit
    assert abs(glorot.mean()) < 0.01 * limit
    he = np.asarray(I.HeNormal(seed=0)(shape))
    assert abs(he.std() - np.sqrt(2.0 / 288)) < 0.03 * np.sqrt(2.0 / 288)
    assert np.abs(he).max() <= 2 * np.sqrt(2.0 / 288) / 0.87962566103423978 + 1e-6
    lecun = np.asarray(I.LecunUniform(seed=0)(shape))
    assert np.abs(lecun).max() <= np.sqrt(3.0 / 288)
    out = np.asarray(I.VarianceScaling(3.0, "fan_out", "untruncated_normal", seed=0)(shape))
    assert abs(out.std() - np.sqrt(3.0 / 576)) < 0.03 * np.sqrt(3.0 / 576)


def test_random_statistics():
    normal = np.asarray(I.RandomNormal(mean=2.0, stddev=0.5, seed=0)((200, 200)))
    assert abs(normal.mean() - 2.0) < 0.01 and abs(normal.std() - 0.5) < 0.01
    uniform = np.asarray(I.RandomUniform(-1.0, 3.0, seed=0)((200, 200)))
    assert uniform.min() >= -1.0 and uniform.max() < 3.0 and abs(uniform.mean() - 1.0) < 0.02
    truncated = np.asarray(I.TruncatedNormal(stddev=1.0, seed=0)((200, 200)))
    assert np.abs(truncated).max() <= 2.0 and abs(truncated.std() - 0.87962566) < 0.01


@pytest.mark.parametrize("shape", [(4, 4), (3, 6), (6, 3), (2, 3, 4)])
def test_orthogonal_is_orthogonal(shape):
    w = np.asarray(I.Orthogonal(gain=2.0, seed=0)(shape)).reshape(-1, shape[-1])
    small = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
    np.testing.assert_allclose(small, 4.0 * np.eye(small.shape[0]), atol=1e-5)


def test_seeded_initializer_repeats():
    init = I.GlorotUniform(seed=3)
    np.testing.assert_array_equal(init((3, 4)), init((3, 4)))
    np.testing.assert_array_equal(init((3, 4)), I.GlorotUniform(seed=3)((3, 4)))
    assert not np.array_equal(init((3, 4)), I.GlorotUniform(seed=4)((3, 4)))


def test_unseeded_initializer_repeats_per_instance_like_keras():
    init = I.RandomNormal()
    np.testing.assert_array_equal(init((5,)), init((5,)))
    assert not np.array_equal(init((5,)), I.RandomNormal()((5,)))
    assert not np.array_equal(init((5,)), init.clone()((5,)))
    assert init.get_config()["seed"] is None
    k_init = keras.initializers.RandomNormal()
    np.testing.assert_array_equal(k_init((5,)), k_init((5,)))  # Keras's rule too


def test_set_random_seed_makes_unseeded_draws_repeat():
    set_random_seed(42)
    first = [I.get(name)((3, 4)) for name in ["glorot_uniform", "he_normal", "orthogonal"]]
    set_random_seed(42)
    second = [I.get(name)((3, 4)) for name in ["glorot_uniform", "he_normal", "orthogonal"]]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    set_random_seed(43)
    assert not np.array_equal(first[0], I.get("glorot_uniform")((3, 4)))


def test_every_keras_name_resolves_to_the_same_class():
    for name, cls in KERAS_INITIALIZERS.items():
        ours = I.get(name)
        assert type(ours).__name__ == cls.__name__, name
        assert isinstance(ours, I.Initializer)
    for alias, target in [("IdentityInitializer", "Identity"), ("normal", "RandomNormal"),
                          ("uniform", "RandomUniform"), ("one", "Ones"), ("zero", "Zeros"),
                          ("OrthogonalInitializer", "Orthogonal"), ("STFTInitializer", "STFT")]:
        assert type(I.get(alias)).__name__ == target


KERAS_CONFIGS = [
    keras.initializers.GlorotUniform(seed=1), keras.initializers.HeNormal(),
    keras.initializers.Constant(2.0), keras.initializers.Constant(np.array([1.0, 2.0])),
    keras.initializers.RandomNormal(mean=1.0, stddev=3.0, seed=5),
    keras.initializers.RandomUniform(minval=0.0, maxval=2.0),
    keras.initializers.TruncatedNormal(seed=9),
    keras.initializers.VarianceScaling(2.0, "fan_out", "uniform", seed=2),
    keras.initializers.Orthogonal(gain=0.5, seed=3), keras.initializers.Identity(),
    keras.initializers.Zeros(), keras.initializers.Ones(),
    keras.initializers.STFT(side="imag", window="hamming", scaling=None, periodic=True),
    keras.initializers.LecunNormal(seed=1, input_axes=[0], output_axes=[1]),
]


@pytest.mark.parametrize("keras_init", KERAS_CONFIGS, ids=lambda i: type(i).__name__)
def test_keras_serialized_dicts_are_accepted_and_written_back(keras_init):
    written = keras.initializers.serialize(keras_init)
    ours = I.get(written)
    assert type(ours).__name__ == type(keras_init).__name__
    mine = I.serialize(ours)
    if type(keras_init).__name__ == "Constant":
        value = mine["config"]["value"]
        mine["config"]["value"] = value if isinstance(value, float) else {
            **value, "config": {**value["config"], "dtype": "float64"}}
    if type(keras_init).__name__ != "Identity":  # Keras's Identity forgets its gain
        assert mine == written
    shape = (6, 1, 4) if type(keras_init).__name__ == "STFT" else (2, 3)
    if type(keras_init).__name__ == "Constant" and "class_name" in str(written["config"]):
        shape = (3, 2)
    if written["config"].get("seed", 0) is None:  # each side drew its own seed
        assert ours(shape).shape == keras_init(shape).shape
    else:
        np.testing.assert_allclose(np.asarray(ours(shape)), np.asarray(keras_init(shape)),
                                   atol=1e-6)


def test_identity_config_keeps_its_gain():
    config = I.serialize(I.Identity(gain=3.0))
    assert config["config"] == {"gain": 3.0}
    assert keras.initializers.get(config).gain == 3.0  # and Keras reads it
    assert I.get(config).gain == 3.0


@pytest.mark.parametrize("init", [
    I.Constant(1.5), I.RandomNormal(0.5, 2.0, seed=1), I.RandomUniform(seed=None),
    I.TruncatedNormal(seed=3), I.VarianceScaling(1.5, "fan_avg", "uniform", seed=1),
    I.GlorotNormal(seed=2), I.HeUniform(), I.Orthogonal(2.0, seed=1), I.Identity(2.0),
    I.STFT(window=[1.0, 0.5]), I.Zeros(),
], ids=lambda i: type(i).__name__)
def test_config_round_trip(init):
    again = type(init).from_config(init.get_config())
    assert again.get_config() == init.get_config()
    assert I.deserialize(I.serialize(init)).get_config() == init.get_config()
    assert I.get(I.serialize(init)).get_config() == init.get_config()


def test_get_passes_through_instances_callables_and_classes():
    init = I.Ones()
    assert I.get(init) is init
    assert I.get(None) is None

    def fn(shape, dtype=None):
        return jnp.full(shape, 4.0)

    assert I.get(fn) is fn
    assert isinstance(I.get(I.HeNormal), I.HeNormal)


def test_get_with_array_returns_it_for_its_shape():
    array = np.arange(6.0).reshape(2, 3)
    init = I.get(array)
    np.testing.assert_array_equal(init((2, 3)), array)
    assert init((2, 3), dtype="float16").dtype == jnp.float16
    with pytest.raises(ValueError, match=r"Expected shape=\(2, 3\). Received: shape=\(3, 2\)"):
        init((3, 2))


def test_registered_custom_initializer_round_trips():
    @register_keras_serializable(package="kk_test_init")
    class Twos(I.Initializer):
        def __call__(self, shape, dtype=None):
            return jnp.full(shape, 2.0, dtype)

    config = I.serialize(Twos())
    assert config["registered_name"] == "kk_test_init>Twos"
    assert isinstance(I.get(config), Twos)
    assert isinstance(I.get("kk_test_init>Twos"), Twos)


def test_unknown_name_raises():
    with pytest.raises(ValueError, match="unknown initializer 'GLOROT_UNIFORM'"):
        I.get("GLOROT_UNIFORM")  # case-sensitive, as in Keras
    with pytest.raises(ValueError, match="unknown initializer 'Dense'"):
        I.get("Dense")  # a name from another module is not an initializer


def test_unknown_dict_is_refused():
    with pytest.raises(UnsafeModelError, match=r"initializer: 'system' \(module 'os'\)"):
        I.get({"module": "os", "class_name": "system", "config": {}, "registered_name": None})


def test_get_rejects_other_types():
    with pytest.raises(IdentifierTypeError, match="could not interpret the initializer"):
        I.get(3)


@pytest.mark.parametrize("kwargs,match", [
    ({"scale": 0.0}, "`scale` must be a positive number"),
    ({"scale": -1.0}, "`scale` must be a positive number"),
    ({"mode": "fan"}, "unknown `mode`.*Received: mode='fan'"),
    ({"distribution": "cauchy"}, "unknown `distribution`.*Received: distribution='cauchy'"),
])
def test_variance_scaling_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        I.VarianceScaling(**kwargs)


def test_seed_must_be_an_integer():
    with pytest.raises(IdentifierTypeError, match="RandomNormal: the seed must be an integer"):
        I.RandomNormal(seed="a")
    with pytest.raises(ValueError, match="GlorotUniform: the seed must be an integer"):
        I.GlorotUniform(seed=1.5)


def test_random_initializers_need_a_float_dtype():
    with pytest.raises(ValueError, match="need a floating-point dtype.*dtype='int32'"):
        I.RandomUniform(seed=0)((2,), dtype="int32")


def test_shape_errors():
    with pytest.raises(ValueError, match=r"Orthogonal: .*at least 2-D.*shape=\(3,\) of rank 1"):
        I.Orthogonal()((3,))
    with pytest.raises(ValueError, match=r"Identity: .*2-D shape.*shape=\(2, 2, 2\) of rank 3"):
        I.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match=r"STFT: the window does not match the frame"):
        I.STFT(window=[1.0, 2.0])((3, 1, 2))


def test_stft_rejects_bad_arguments():
    with pytest.raises(ValueError, match="STFT: unknown `side`"):
        I.STFT(side="both")
    with pytest.raises(ValueError, match="STFT: unknown `scaling`"):
        I.STFT(scaling="power")
    with pytest.raises(ValueError, match="STFT: unknown window.*window='nope'"):
        I.STFT(window="nope")


def test_base_initializer_call_is_abstract():
    with pytest.raises(NotImplementedError, match="must implement `__call__"):
        I.Initializer()((2,))
