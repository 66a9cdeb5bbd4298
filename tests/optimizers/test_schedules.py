"""Learning rate schedules: values against Keras 3 at many steps, jit, configs, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit.optimizers.schedules as kks
from kernelkit.errors import UnsafeModelError
from tests.keras_oracle import keras

STEPS = [0, 1, 2, 5, 9, 10, 11, 17, 25, 40, 70, 150, 1000]

CASES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=7, decay_rate=0.9,
                              staircase=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 20, 40], values=[1.0, 0.5, 0.1, 0.01])),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=20)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=20, end_learning_rate=0.01,
                             power=0.5, cycle=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5,
                              staircase=True)),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=30, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=30, warmup_target=0.2,
                         warmup_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=10, t_mul=1.0,
                                 m_mul=0.5, alpha=0.1)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=5, t_mul=3.0,
                                 m_mul=0.8)),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_schedule_matches_keras_at_many_steps_eager_and_jitted(name, kwargs):
    ours = getattr(kks, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    expected = [float(theirs(s)) for s in STEPS]
    jitted = jax.jit(ours)
    for step, want in zip(STEPS, expected):
        np.testing.assert_allclose(float(ours(step)), want, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(float(jitted(jnp.int32(step))), want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_schedule_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(kks, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert kks.serialize(ours) == keras.optimizers.schedules.serialize(theirs)
    again = kks.deserialize(kks.serialize(ours))
    assert type(again) is type(ours) and again.get_config() == ours.get_config()
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


def test_keras_serialized_schedule_loads_in_kernelkit():
    theirs = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    ours = kks.deserialize(keras.optimizers.schedules.serialize(theirs))
    assert isinstance(ours, kks.ExponentialDecay)
    np.testing.assert_allclose(float(ours(7)), float(theirs(7)), rtol=1e-6)


@pytest.mark.parametrize(("cls", "kwargs", "arg"), [
    (kks.ExponentialDecay, dict(initial_learning_rate=0.1, decay_steps=0, decay_rate=0.5),
     "decay_steps"),
    (kks.PolynomialDecay, dict(initial_learning_rate=0.1, decay_steps=-1), "decay_steps"),
    (kks.InverseTimeDecay, dict(initial_learning_rate=0.1, decay_steps=0, decay_rate=0.5),
     "decay_steps"),
    (kks.CosineDecay, dict(initial_learning_rate=0.1, decay_steps=0), "decay_steps"),
    (kks.CosineDecayRestarts, dict(initial_learning_rate=0.1, first_decay_steps=0),
     "first_decay_steps"),
])
def test_non_positive_decay_steps_raise(cls, kwargs, arg):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: the number of decay steps must be "
                                         rf"positive\. Expected {arg} > 0\. Received: {arg}="):
        cls(**kwargs)


def test_piecewise_constant_length_mismatch_raises():
    with pytest.raises(ValueError, match=r"PiecewiseConstantDecay: boundaries and values do not "
                                         r"match.*Received: boundaries=\[10\] \(length 1\)"):
        kks.PiecewiseConstantDecay([10], [1.0, 0.5, 0.1])


def test_base_schedule_requires_call_and_get_config():
    schedule = kks.LearningRateSchedule()
    with pytest.raises(NotImplementedError, match=r"must override `__call__\(self, step\)`"):
        schedule(0)
    with pytest.raises(NotImplementedError, match=r"must override `get_config\(\)`"):
        schedule.get_config()


def test_deserialize_refuses_unregistered_schedule():
    config = {"module": "evil", "class_name": "NotASchedule", "config": {}}
    with pytest.raises(UnsafeModelError, match="'NotASchedule'.*not a registered"):
        kks.deserialize(config)
