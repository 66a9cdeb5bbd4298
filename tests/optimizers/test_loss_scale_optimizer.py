"""LossScaleOptimizer and `auto_scale_loss` under the `mixed_float16` policy (statement 57)."""

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.optimizers import SGD, LossScaleOptimizer


@pytest.fixture
def mixed_float16():
    kk.config.set_dtype_policy("mixed_float16")
    yield
    kk.config.set_dtype_policy(None)


def _model():
    return kk.Sequential([kk.Input((4,)), kk.layers.Dense(3), kk.layers.Dense(1)])


def test_auto_scale_loss_wraps_the_optimizer_only_under_mixed_float16(mixed_float16):
    model = _model()
    model.compile("sgd", "mse")
    assert isinstance(model.optimizer, LossScaleOptimizer)
    assert model.layers[0].compute_dtype == "float16" and model.layers[0].dtype == "float32"
    model.compile("sgd", "mse", auto_scale_loss=False)
    assert not isinstance(model.optimizer, LossScaleOptimizer)


def test_float32_policy_does_not_wrap():
    model = _model()
    model.compile("sgd", "mse")
    assert not isinstance(model.optimizer, LossScaleOptimizer)


def test_scaled_training_matches_unscaled_training():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    plain, scaled = _model(), _model()
    scaled.set_weights(plain.get_weights())
    plain.compile(SGD(0.05), "mse")
    scaled.compile(LossScaleOptimizer(SGD(0.05), initial_scale=1024.0), "mse")
    plain.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    scaled.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(plain.get_weights(), scaled.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_non_finite_gradients_skip_the_step_and_halve_the_scale():
    optimizer = LossScaleOptimizer(SGD(0.1), initial_scale=8.0, dynamic_growth_steps=2)
    tx = optimizer.transform
    params = {"w": jnp.ones(2)}
    state = tx.init(params)
    updates, state = tx.update({"w": jnp.array([jnp.inf, 1.0])}, state, params)
    np.testing.assert_array_equal(np.asarray(updates["w"]), [0.0, 0.0])
    assert float(optimizer.loss_scale_of(state)) == 4.0
    for _ in range(2):
        updates, state = tx.update({"w": jnp.ones(2) * 4.0}, state, params)
    np.testing.assert_allclose(np.asarray(updates["w"]), [-0.1, -0.1], rtol=1e-6)
    assert float(optimizer.loss_scale_of(state)) == 8.0  # grew after two finite steps


def test_config_round_trip_and_errors():
    optimizer = LossScaleOptimizer(SGD(0.1), initial_scale=16.0, dynamic_growth_steps=5)
    again = LossScaleOptimizer.from_config(optimizer.get_config())
    assert isinstance(again.inner_optimizer, SGD) and again.initial_scale == 16.0
    with pytest.raises(TypeError, match="expected a kernelkit optimizer"):
        LossScaleOptimizer("sgd")
    with pytest.raises(ValueError, match="initial_scale must be positive"):
        LossScaleOptimizer(SGD(), initial_scale=0)
    with pytest.raises(ValueError, match="unknown dtype policy"):
        kk.config.set_dtype_policy("int8")
