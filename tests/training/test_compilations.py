"""How much `fit()` compiles: once per program and `fit()`, never per epoch or per group, and
nothing beside the steps themselves (a fresh optimizer's state compiles nothing).

Every program JAX lowers (whether XLA then compiles it or the persistent cache has it) is
counted by listening to JAX's lowering event, named by the jitted function.
"""

import contextlib

import jax
import jax.monitoring
import numpy as np
import pytest

import kernelkit as kk

_LOWERING = "/jax/core/compile/jaxpr_to_mlir_module_duration"


@contextlib.contextmanager
def lowerings():
    """Collects the names of the programs lowered inside the block."""
    names = []

    def listener(event, duration, **kwargs):
        if event == _LOWERING:
            names.append(str(kwargs.get("fun_name", "?")))

    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        yield names
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)


def _count(names, fragment):
    return sum(fragment in name for name in names)


def _data(n=97, features=5):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, features)).astype("float32")
    return x, (x @ rng.normal(size=(features, 1))).astype("float32")


def _model(features=5, **compile_kwargs):
    model = kk.Sequential([kk.Input((features,)), kk.layers.Dense(7, activation="relu"),
                           kk.layers.Dense(1)])
    model.compile("adam", "mse", metrics=["mae"], **compile_kwargs)
    return model


@pytest.mark.parametrize("steps_per_execution", ["auto", 1, 4])
def test_fit_compiles_each_program_once_not_per_epoch(steps_per_execution):
    x, y = _data()  # 97 samples, batch 8: 12 full batches and a partial one
    model = _model(steps_per_execution=steps_per_execution)
    with lowerings() as names:
        model.fit(x, y, batch_size=8, epochs=3, validation_split=0.25, verbose=0)
    # full batches and the last partial batch: at most two training programs
    assert 1 <= _count(names, "train") <= 2, names
    assert 1 <= _count(names, "test") <= 2, names
    with lowerings() as again:
        model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
    assert again == [], f"a second fit() of the same model compiled again: {again}"


def test_more_epochs_compile_nothing_more():
    x, y = _data()
    one, five = _model(), _model()
    with lowerings() as after_one:
        one.fit(x, y, batch_size=8, epochs=1, verbose=0)
    with lowerings() as after_five:
        five.fit(x, y, batch_size=8, epochs=5, verbose=0)
    assert sorted(after_one) == sorted(after_five)


def test_first_fit_compiles_only_the_training_program():
    x, y = _data(n=96, features=11)  # no partial batch
    model = _model(features=11)
    with lowerings() as names:
        model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert names and all("train" in name for name in names), (
        f"programs other than the training step were compiled: {names}")


_OPTIMIZERS = ["sgd", "adam", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl",
               "lion", "adafactor", "adamw"]


@pytest.mark.parametrize("name", _OPTIMIZERS)
def test_a_fresh_optimizer_state_compiles_nothing(name):
    optimizer = kk.optimizers.get(name)
    if name == "sgd":
        optimizer = kk.optimizers.SGD(momentum=0.9)
    # shapes no other test uses, put on the device without running (or compiling) anything:
    # an eager jnp.zeros_like of them would have to compile
    rows = 37 + _OPTIMIZERS.index(name)
    params = {"kernel": jax.device_put(np.ones((rows, 41), "float32")),
              "bias": jax.device_put(np.ones((rows + 100,), "float32"))}
    with lowerings() as names:
        state = optimizer.transform.init(params)
    assert names == [], f"{name}: initializing the optimizer compiled {names}"
    # the same state as when initialized inside a trace (where jnp builds it)
    traced = jax.jit(optimizer.transform.init)(params)
    for a, b in zip(jax.tree_util.tree_leaves(state), jax.tree_util.tree_leaves(traced),
                    strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_the_fused_loop_traces_train_step_once():
    traces = []

    class Counted(kk.Sequential):
        def train_step(self, data):
            traces.append(1)  # runs while JAX traces the step, not per batch
            return super().train_step(data)

    x, y = _data(n=96)
    model = Counted([kk.Input((5,)), kk.layers.Dense(1)])
    model.compile("sgd", "mse", steps_per_execution=4)
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert len(traces) == 1
