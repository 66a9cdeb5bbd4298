"""Optimizers: step-by-step differential tests against Keras 3, live learning rate, configs."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

import kernelkit.optimizers as kko
from tests.keras_oracle import keras

SHAPES = [(3, 4), (4,), (2, 3, 2)]


def _weights_and_grads(steps=5, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(steps)]
    return weights, grads


def _run_both(name, kwargs, steps=5, ours_kwargs=None, keras_kwargs=None):
    """Applies the same gradients with kernelkit (pure transform, jitted) and Keras."""
    weights, grads = _weights_and_grads(steps)
    ours = getattr(kko, name)(**{**kwargs, **(ours_kwargs or {})})
    theirs = getattr(keras.optimizers, name)(**{**kwargs, **(keras_kwargs or {})})
    variables = [keras.Variable(w) for w in weights]
    tx = ours.transform
    params = [jnp.asarray(w) for w in weights]
    state = tx.init(params)
    update = jax.jit(tx.update)
    for step_grads in grads:
        theirs.apply_gradients(zip([jnp.asarray(g) for g in step_grads], variables))
        updates, state = update([jnp.asarray(g) for g in step_grads], state, params)
        params = optax.apply_updates(params, updates)
        for ours_w, keras_v in zip(params, variables):
            np.testing.assert_allclose(np.asarray(ours_w), np.asarray(keras_v.value),
                                       rtol=1e-5, atol=1e-6)
    assert int(ours.iterations_of(state)) == int(theirs.iterations)
    return ours, theirs, state, params, variables


OPTIMIZER_CASES = [
    ("SGD", dict(learning_rate=0.1)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(learning_rate=0.1)),
    ("Adam", dict(learning_rate=0.1, amsgrad=True, beta_1=0.8)),
    ("AdamW", dict(learning_rate=0.1)),
    ("AdamW", dict(learning_rate=0.1, weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict(learning_rate=0.1)),
    ("RMSprop", dict(learning_rate=0.1, momentum=0.5, centered=True)),
    ("Adagrad", dict(learning_rate=0.1)),
    ("Adadelta", dict(learning_rate=1.0)),
    ("Adamax", dict(learning_rate=0.1)),
    ("Nadam", dict(learning_rate=0.1)),
    ("Ftrl", dict(learning_rate=0.1)),
    ("Ftrl", dict(learning_rate=0.1, l1_regularization_strength=0.01,
                  l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.01,
                  beta=0.1, learning_rate_power=-0.6)),
    ("Lion", dict(learning_rate=0.1)),
    ("Adafactor", dict(learning_rate=0.1)),
    ("Adafactor", dict(learning_rate=0.5, clip_threshold=0.5, epsilon_2=0.01)),
]


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZER_CASES)
def test_optimizer_matches_keras_after_each_step(name, kwargs):
    _run_both(name, kwargs)


@pytest.mark.parametrize(("name", "kwargs"), [
    ("SGD", dict(learning_rate=0.1, momentum=0.9, clipnorm=0.5)),
    ("Adam", dict(learning_rate=0.1, clipvalue=0.3)),
    ("RMSprop", dict(learning_rate=0.1, global_clipnorm=1.0)),
    ("Adam", dict(learning_rate=0.1, weight_decay=0.05)),
    ("Ftrl", dict(learning_rate=0.1, weight_decay=0.05, clipnorm=1.0)),
    ("Adafactor", dict(learning_rate=0.1, weight_decay=0.05)),
    ("Nadam", dict(learning_rate=0.1, loss_scale_factor=128.0)),
    ("Adam", dict(learning_rate=0.1, use_ema=True, ema_momentum=0.5,
                  ema_overwrite_frequency=2)),
])
def test_common_arguments_match_keras(name, kwargs):
    _run_both(name, kwargs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam"])
def test_gradient_accumulation_matches_keras(name):
    kwargs = dict(learning_rate=0.1, gradient_accumulation_steps=2, clipnorm=1.0)
    if name == "SGD":
        kwargs["momentum"] = 0.9
    ours, theirs, state, _, _ = _run_both(name, kwargs, steps=5)
    assert int(ours.iterations_of(state)) == 2 == int(theirs.iterations)


def test_schedule_learning_rate_matches_keras():
    schedule = dict(initial_learning_rate=0.1, decay_steps=2, decay_rate=0.5)
    ours, theirs, state, _, _ = _run_both(
        "Adam", {}, ours_kwargs={"learning_rate": kko.schedules.ExponentialDecay(**schedule)},
        keras_kwargs={"learning_rate": keras.optimizers.schedules.ExponentialDecay(**schedule)})
    np.testing.assert_allclose(float(ours.learning_rate_of(state)),
                               float(theirs.learning_rate), rtol=1e-6)


def test_ema_weights_and_finalize_match_keras():
    ours, theirs, state, params, variables = _run_both(
        "SGD", dict(learning_rate=0.1, use_ema=True, ema_momentum=0.9))
    theirs.finalize_variable_values(variables)
    for ema, keras_v in zip(ours.finalize_params(params, state), variables):
        np.testing.assert_allclose(np.asarray(ema), np.asarray(keras_v.value), rtol=1e-5)
    assert ours.ema_of(state) is not None


def test_learning_rate_change_between_jitted_steps_takes_effect_without_retrace():
    optimizer = kko.SGD(learning_rate=0.1)
    tx = optimizer.transform
    traces = []

    @jax.jit
    def step(params, state):
        traces.append(1)
        updates, state = tx.update(jnp.ones_like(params), state, params)
        return optax.apply_updates(params, updates), state

    params = jnp.zeros(2)
    state = tx.init(params)
    params, state = step(params, state)
    state = optimizer.with_learning_rate(state, 0.5)
    params, state = step(params, state)
    state = optimizer.with_learning_rate(state, 0.25)
    params, state = step(params, state)
    np.testing.assert_allclose(np.asarray(params), [-0.85, -0.85], rtol=1e-6)
    assert len(traces) == 1
    assert optimizer.transform is tx
    assert float(optimizer.learning_rate_of(state)) == 0.25


def test_attached_loop_state_is_read_and_written_by_keras_properties():
    optimizer = kko.Adam(learning_rate=0.01)
    params = {"w": jnp.ones(3)}
    box = {"state": optimizer.transform.init(params)}
    optimizer.attach(lambda: box["state"], lambda s: box.__setitem__("state", s))
    update = jax.jit(optimizer.transform.update)
    _, box["state"] = update({"w": jnp.ones(3)}, box["state"], params)
    assert int(optimizer.iterations) == 1
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.01, rtol=1e-6)
    optimizer.learning_rate = 0.5  # what ReduceLROnPlateau does between steps
    assert float(box["state"].learning_rate) == 0.5
    assert optimizer.get_config()["learning_rate"] == 0.5
    optimizer.detach()
    assert int(optimizer.iterations) == 0


def test_learning_rate_before_build_is_readable_and_writable():
    optimizer = kko.RMSprop()
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.001, rtol=1e-6)
    optimizer.learning_rate = 0.02
    state = optimizer.transform.init([jnp.zeros(2)])
    np.testing.assert_allclose(float(optimizer.learning_rate_of(state)), 0.02, rtol=1e-6)


@pytest.mark.parametrize("make", [lambda w: nnx.Param(jnp.asarray(w)),
                                  lambda w: keras.Variable(w)])
def test_eager_apply_gradients_on_variables_matches_keras(make):
    weights, grads = _weights_and_grads(3)
    ours = kko.Adam(learning_rate=0.1, weight_decay=0.01)
    theirs = keras.optimizers.Adam(learning_rate=0.1, weight_decay=0.01)
    mine = [make(w) for w in weights]
    reference = [keras.Variable(w) for w in weights]
    for step_grads in grads:
        ours.apply_gradients(zip(step_grads, mine))
        theirs.apply_gradients(zip([jnp.asarray(g) for g in step_grads], reference))
    for a, b in zip(mine, reference):
        value = a.get_value() if hasattr(a, "get_value") else a.value
        np.testing.assert_allclose(np.asarray(value), np.asarray(b.value), rtol=1e-5, atol=1e-6)
    assert int(ours.iterations) == 3
    ours.learning_rate = 0.05
    np.testing.assert_allclose(float(ours.learning_rate), 0.05, rtol=1e-6)
    ours.apply(grads[0])  # without variables: the ones it was built with
    assert int(ours.iterations) == 4


def test_eager_ema_finalize_writes_the_average():
    var = nnx.Param(jnp.zeros(2))
    optimizer = kko.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    optimizer.apply([jnp.ones(2)], [var])
    optimizer.apply([jnp.ones(2)], [var])
    optimizer.finalize_variable_values([var])
    np.testing.assert_allclose(np.asarray(var.get_value()), [-1.5, -1.5])


def test_exclude_from_weight_decay_by_name():
    optimizer = kko.SGD(learning_rate=0.1, weight_decay=0.5)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    params = {"kernel": jnp.ones(2), "bias": jnp.ones(2)}
    updates, _ = optimizer.transform.update(
        jax.tree.map(jnp.zeros_like, params), optimizer.transform.init(params), params)
    np.testing.assert_allclose(np.asarray(updates["kernel"]), [-0.05, -0.05], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(updates["bias"]), [0.0, 0.0])


@pytest.mark.parametrize("identifier", ["adam", "Adam", "ADAM", "rmsprop", "sgd", "adamw",
                                        "nadam", "ftrl", "lion", "adafactor", "adamax",
                                        "adagrad", "adadelta"])
def test_get_by_name_is_case_insensitive(identifier):
    optimizer = kko.get(identifier)
    assert type(optimizer).__name__.lower() == identifier.lower()


def test_get_passes_instances_and_none_and_reads_configs():
    adam = kko.Adam()
    assert kko.get(adam) is adam
    assert kko.get(None) is None
    clone = kko.get(keras.optimizers.serialize(keras.optimizers.SGD(momentum=0.5)))
    assert isinstance(clone, kko.SGD) and clone.momentum == 0.5


def test_get_wraps_a_raw_optax_transform_with_a_settable_learning_rate():
    optimizer = kko.get(optax.inject_hyperparams(optax.sgd)(learning_rate=0.1))
    assert isinstance(optimizer, kko.OptaxOptimizer)
    tx = optimizer.transform
    params = {"w": jnp.zeros(2)}
    state = tx.init(params)
    np.testing.assert_allclose(float(optimizer.learning_rate_of(state)), 0.1, rtol=1e-6)
    state = optimizer.with_learning_rate(state, 1.0)
    updates, state = jax.jit(tx.update)({"w": jnp.ones(2)}, state, params)
    np.testing.assert_allclose(np.asarray(updates["w"]), [-1.0, -1.0])
    assert int(optimizer.iterations_of(state)) == 1


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZER_CASES + [
    ("Adam", dict(clipnorm=1.0, use_ema=True, ema_overwrite_frequency=3,
                  gradient_accumulation_steps=2, loss_scale_factor=2.0, weight_decay=0.1)),
])
def test_config_matches_keras_and_round_trips(name, kwargs):
    kwargs = {**kwargs, "name": "opt"}
    ours = getattr(kko, name)(**kwargs)
    theirs = getattr(keras.optimizers, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert kko.serialize(ours) == keras.optimizers.serialize(theirs)
    again = kko.deserialize(kko.serialize(ours))
    assert type(again) is type(ours) and again.get_config() == ours.get_config()


def test_config_with_schedule_matches_keras_and_round_trips():
    ours = kko.SGD(learning_rate=kko.schedules.CosineDecay(0.1, 100), name="opt")
    theirs = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.CosineDecay(0.1, 100),
                                  name="opt")
    assert ours.get_config() == theirs.get_config()
    again = kko.SGD.from_config(ours.get_config())
    assert isinstance(again._schedule, kko.schedules.CosineDecay)


def test_default_names_follow_keras():
    assert [kko.Adam().name, kko.Adam().name, kko.RMSprop().name] == ["adam", "adam_1",
                                                                      "rm_sprop"]


# ----- errors -----

@pytest.mark.parametrize(("make", "error", "match"), [
    (lambda: kko.Adam(learning_rate=-0.1), ValueError,
     r"Adam: learning_rate must be non-negative\. Expected learning_rate >= 0\. "
     r"Received: learning_rate=-0\.1"),
    (lambda: kko.SGD(learning_rate="fast"), TypeError,
     r"SGD: learning_rate has the wrong type\..*Received: learning_rate='fast'"),
    (lambda: kko.Adam(foo=1), ValueError, r"Adam: unknown argument\(s\) \['foo'\].*foo=1"),
    (lambda: kko.Adam(gradient_accumulation_steps=1), ValueError,
     r"gradient_accumulation_steps must be an integer >= 2.*Received: "
     r"gradient_accumulation_steps=1"),
    (lambda: kko.Adam(use_ema=True, ema_momentum=1.5), ValueError,
     r"ema_momentum must be in \[0, 1\].*Received: ema_momentum=1\.5"),
    (lambda: kko.Adam(use_ema=True, ema_overwrite_frequency=0.5), ValueError,
     r"ema_overwrite_frequency must be an integer >= 1 or None.*=0\.5"),
    (lambda: kko.Adam(clipnorm=1.0, clipvalue=1.0), ValueError,
     r"only one of clipnorm, clipvalue and global_clipnorm can be set.*clipnorm=1\.0, "
     r"clipvalue=1\.0, global_clipnorm=None"),
    (lambda: kko.SGD(momentum=1.5), ValueError,
     r"SGD: momentum must be a float in \[0, 1\].*Received: momentum=1\.5"),
    (lambda: kko.AdamW(weight_decay=None), ValueError,
     r"AdamW: weight_decay is required.*Received: weight_decay=None"),
    (lambda: kko.Lion(beta_1=0.0), ValueError, r"Lion: beta_1 must be in \(0, 1\].*beta_1=0\.0"),
    (lambda: kko.Ftrl(l1_regularization_strength=-1.0), ValueError,
     r"Ftrl: l1_regularization_strength must be non-negative.*"
     r"Received: l1_regularization_strength=-1\.0"),
    (lambda: kko.Ftrl(initial_accumulator_value=-0.1), ValueError,
     r"Ftrl: initial_accumulator_value must be non-negative"),
    (lambda: kko.Ftrl(learning_rate_power=0.5), ValueError,
     r"Ftrl: learning_rate_power must be negative or zero.*learning_rate_power=0\.5"),
    (lambda: kko.get("adamm"), ValueError,
     r"optimizers\.get: unknown optimizer 'adamm'\. Expected one of \['adadelta', "
     r"'adafactor', .*'sgd'\]"),
    (lambda: kko.get(3.5), ValueError,
     r"optimizers\.get: could not interpret the optimizer identifier.*identifier=float"),
    (lambda: kko.OptaxOptimizer("adam"), TypeError,
     r"OptaxOptimizer: expected an optax\.GradientTransformation\. Received: "
     r"transform='adam'"),
])
def test_invalid_arguments_raise(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_decay_argument_warns_and_is_ignored():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        kko.SGD(decay=0.1)


def test_setting_a_float_learning_rate_on_a_schedule_raises():
    optimizer = kko.SGD(learning_rate=kko.schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match=r"SGD: the learning rate cannot be set, because this "
                                        r"optimizer was created with a schedule"):
        optimizer.learning_rate = 0.1
    state = optimizer.transform.init([jnp.zeros(1)])
    with pytest.raises(TypeError, match="created with a schedule"):
        optimizer.with_learning_rate(state, 0.1)


def test_negative_learning_rate_in_with_learning_rate_raises():
    optimizer = kko.SGD()
    with pytest.raises(ValueError, match=r"Received: learning_rate=-1\.0"):
        optimizer.learning_rate = -1.0


def test_assigning_a_schedule_rebuilds_the_transform():
    optimizer = kko.SGD(learning_rate=0.1)
    first = optimizer.transform
    optimizer.learning_rate = kko.schedules.PiecewiseConstantDecay([0], [0.1, 1.0])
    assert optimizer.transform is not first
    params = jnp.zeros(1)
    updates, state = optimizer.transform.update(jnp.ones(1), optimizer.init(params), params)
    np.testing.assert_allclose(np.asarray(updates), [-0.1], rtol=1e-6)
    assert float(optimizer.learning_rate_of(state)) == 1.0


def test_update_without_params_raises():
    tx = kko.Adam().transform
    state = tx.init([jnp.zeros(1)])
    with pytest.raises(ValueError, match=r"update\(\) needs the current weights.*params=None"):
        tx.update([jnp.zeros(1)], state)


def test_exclude_from_weight_decay_after_build_raises():
    optimizer = kko.AdamW()
    optimizer.transform  # noqa: B018  (builds it)
    with pytest.raises(ValueError, match=r"exclude_from_weight_decay\(\) was called after the "
                                         r"optimizer was built.*var_names=\['bias'\]"):
        optimizer.exclude_from_weight_decay(var_names=["bias"])


def test_apply_without_variables_before_build_raises():
    with pytest.raises(ValueError, match=r"apply\(\) got gradients without variables before "
                                         r"the optimizer was built.*float32\[2\]"):
        kko.SGD().apply([jnp.zeros(2)])


def test_apply_on_plain_arrays_raises():
    with pytest.raises(TypeError, match=r"Optimizer: cannot update this object in place.*"
                                        r"Received: variable=float32\[2\]"):
        kko.SGD().apply([jnp.zeros(2)], [jnp.zeros(2)])


def test_optax_transform_without_injected_learning_rate():
    optimizer = kko.OptaxOptimizer(optax.adam(1e-3))
    state = optimizer.transform.init({"w": jnp.zeros(2)})
    assert np.isnan(float(optimizer.learning_rate_of(state)))
    with pytest.raises(TypeError, match=r"OptaxOptimizer: this optax transform has no settable "
                                        r"learning rate.*optax\.inject_hyperparams"):
        optimizer.with_learning_rate(state, 0.1)
    with pytest.raises(TypeError, match=r"OptaxOptimizer 'optax_optimizer': a raw optax "
                                        r"transform cannot be serialized"):
        optimizer.get_config()


def test_base_optimizer_requires_a_rule():
    with pytest.raises(NotImplementedError, match=r"Optimizer: optimizers must implement "
                                                  r"`_rule\(\)`"):
        kko.Optimizer(learning_rate=0.1).transform  # noqa: B018
