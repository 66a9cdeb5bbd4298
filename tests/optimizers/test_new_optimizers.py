"""Lamb, Muon, ScheduleFreeAdamW, MultiOptimizer/OptimizerMap and legacy: steps vs Keras 3."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import kernelkit as kk
import kernelkit.optimizers as kko
from tests.keras_oracle import keras

SHAPES = {"dense/kernel": (3, 4), "dense/bias": (4,), "embedding/embeddings": (5, 3),
          "conv/kernel": (2, 2, 3)}


def _keras_variables(weights):
    return [keras.Variable(w, name=path.split("/")[1]) for path, w in weights.items()]


def _data(steps, seed=0):
    rng = np.random.default_rng(seed)
    weights = {p: rng.normal(size=s).astype("float32") for p, s in SHAPES.items()}
    grads = [{p: rng.normal(size=s).astype("float32") for p, s in SHAPES.items()}
             for _ in range(steps)]
    return weights, grads


def _run_both(ours, theirs, steps=4, keras_paths=True, rtol=1e-5, atol=1e-6):
    """Applies the same gradients with kernelkit's jitted transform and Keras's `apply`."""
    weights, grads = _data(steps)
    variables = _keras_variables(weights)
    if keras_paths:  # Keras paths are "<scope>/<name>"; give each variable its test path
        for v, path in zip(variables, weights):
            v._path = path
    params = {f"{i}/{p}": jnp.asarray(w) for i, (p, w) in enumerate(weights.items())}
    tx = ours.transform
    state = tx.init(params)
    update = jax.jit(tx.update)
    for step_grads in grads:
        theirs.apply([jnp.asarray(g) for g in step_grads.values()], variables)
        g = {k: jnp.asarray(v) for k, v in zip(params, step_grads.values())}
        updates, state = update(g, state, params)
        params = optax.apply_updates(params, updates)
        for ours_w, keras_v in zip(params.values(), variables):
            np.testing.assert_allclose(np.asarray(ours_w), np.asarray(keras_v.value),
                                       rtol=rtol, atol=atol)
    assert int(ours.iterations_of(state)) == int(theirs.iterations)
    return state


CASES = [
    ("Lamb", dict(learning_rate=0.1)),
    ("Lamb", dict(learning_rate=0.05, beta_1=0.8, weight_decay=0.1, clipnorm=1.0)),
    ("ScheduleFreeAdamW", dict(learning_rate=0.1)),
    ("ScheduleFreeAdamW", dict(learning_rate=0.1, warmup_steps=3, weight_decay=0.05)),
    ("Muon", dict(learning_rate=0.1)),
    ("Muon", dict(learning_rate=0.05, nesterov=False, rms_rate=None, adam_lr_ratio=0.5,
                  exclude_layers=["dense"], exclude_embeddings=False, ns_steps=3)),
    ("Muon", dict(learning_rate=0.05, weight_decay=None, adam_weight_decay=0.1,
                  use_ema=True, ema_momentum=0.5)),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_optimizer_matches_keras_after_each_step(name, kwargs):
    # Muon's matrix products and schedule-free's division by beta_1 round differently
    loose = name in ("Muon", "ScheduleFreeAdamW")
    _run_both(getattr(kko, name)(**kwargs), getattr(keras.optimizers, name)(**kwargs),
              rtol=1e-4 if loose else 1e-5, atol=1e-5 if loose else 1e-6)


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(kko, name)(name="opt", **kwargs)
    theirs = getattr(keras.optimizers, name)(name="opt", **kwargs)
    assert ours.get_config() == theirs.get_config()
    again = kko.deserialize(kko.serialize(ours))
    assert type(again) is type(ours) and again.get_config() == ours.get_config()


def _multi(module):
    mapping = module.optimizers.OptimizerMap(
        module.optimizers.SGD(learning_rate=0.1, momentum=0.9, name="sgd"),
        {"dense/.*": module.optimizers.Adam(learning_rate=0.05, name="adam"),
         "embedding/embeddings": module.optimizers.Lion(learning_rate=0.01, name="lion")})
    return module.optimizers.MultiOptimizer(mapping, name="multi")


def test_multi_optimizer_matches_keras_per_variable():
    state = _run_both(_multi(kk), _multi(keras))
    assert len(state.slots) == 3


def test_multi_optimizer_config_matches_keras_and_round_trips():
    ours, theirs = _multi(kk), _multi(keras)
    config = ours.get_config()
    assert config == theirs.get_config()
    again = kko.MultiOptimizer.from_config(config)
    assert again.get_config() == config
    assert [type(o).__name__ for o in again.optimizers] == ["Adam", "Lion", "SGD"]


def test_multi_optimizer_has_no_learning_rate_and_rejects_nesting():
    multi = _multi(kk)
    with pytest.raises(AttributeError, match="inner optimizer"):
        multi.learning_rate  # noqa: B018
    with pytest.raises(AttributeError):
        _multi(keras).learning_rate  # noqa: B018
    with pytest.raises(ValueError, match="cannot be an inner optimizer"):
        kko.OptimizerMap(kko.SGD(), {"x": multi})
    with pytest.raises(TypeError, match="Received: default_optimizer="):
        kko.OptimizerMap("adam")
    mapping = kko.OptimizerMap(kko.SGD(), {"a.*": kko.Adam(), "ab.": kko.Lion()})
    with pytest.raises(ValueError, match="several patterns"):
        mapping["abc"]  # noqa: B018
    assert type(mapping["ax"]).__name__ == "Adam"


def test_multi_optimizer_trains_in_fit_with_live_inner_learning_rates():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x @ rng.normal(size=(3, 1)).astype("float32")
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(4, name="hidden"),
                           kk.layers.Dense(1, name="out")])
    sgd, adam = kko.SGD(0.05), kko.Adam(0.05)
    model.compile(kko.MultiOptimizer(kko.OptimizerMap(sgd, {"hidden/.*": adam})), "mse")
    before = [np.asarray(w) for w in model.get_weights()]
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        callbacks=[kk.callbacks.LearningRateScheduler(lambda e, lr: lr * 0.5)])
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    assert int(model.optimizer.iterations) == 12
    assert float(sgd.learning_rate) == pytest.approx(0.05 / 8)
    assert float(adam.learning_rate) == pytest.approx(0.05 / 8)


@pytest.mark.parametrize("name", ["Lamb", "Muon", "ScheduleFreeAdamW"])
def test_new_optimizer_trains_in_fit(name):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 2)).astype("float32")
    model = kk.Sequential([kk.layers.Input((4,)), kk.layers.Dense(8), kk.layers.Dense(2)])
    model.compile(getattr(kko, name)(learning_rate=0.02), "mse")
    history = model.fit(x, y, epochs=4, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert int(model.optimizer.iterations) == 16


@pytest.mark.parametrize("name", [n for n in dir(keras.optimizers.legacy) if not n.startswith("_")])
def test_legacy_names_raise_like_keras(name):
    with pytest.raises(ImportError) as theirs:
        getattr(keras.optimizers.legacy, name)()
    with pytest.raises(ImportError) as ours:
        getattr(kko.legacy, name)()
    assert str(ours.value).startswith(str(theirs.value))


def test_get_resolves_the_new_names_case_insensitively():
    for name in ("lamb", "Muon", "schedulefreeadamw"):
        assert type(kko.get(name)).__name__.lower() == name.lower()


@pytest.mark.parametrize("name", ["Lamb", "ScheduleFreeAdamW"])
def test_saved_optimizer_variables_follow_keras_order(name):
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 2)).astype("float32")
    ours = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(4), kk.layers.Dense(2)])
    ours.compile(getattr(kko, name)(), "mse")
    ours.fit(x, y, epochs=1, batch_size=4, verbose=0)
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    theirs.compile(getattr(keras.optimizers, name)(), "mse")
    theirs.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert ([np.shape(v) for v in ours._saved_optimizer_variables()]
            == [tuple(v.shape) for v in theirs.optimizer.variables])
