"""`Optimizer.stateless_apply` and `optimizer.variables`, differential against Keras 3."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
SHAPES = [(3, 2), (2,), (2, 1), (1,)]
WEIGHTS = [RNG.normal(size=s).astype("float32") for s in SHAPES]
GRADS = [RNG.normal(size=s).astype("float32") for s in SHAPES]

CASES = [
    ("Adam", {}),
    ("Adam", {"amsgrad": True, "use_ema": True}),
    ("Adam", {"gradient_accumulation_steps": 2}),
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1}),
    ("AdamW", {"schedule": True}),
]


def _pair(name, kwargs):
    ours_kwargs, their_kwargs = dict(kwargs), dict(kwargs)
    if ours_kwargs.pop("schedule", None):
        del their_kwargs["schedule"]
        ours_kwargs["learning_rate"] = kk.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
        their_kwargs["learning_rate"] = keras.optimizers.schedules.ExponentialDecay(0.1, 2,
                                                                                    0.5)
    ours = getattr(kk.optimizers, name)(**ours_kwargs)
    theirs = getattr(keras.optimizers, name)(**their_kwargs)
    ours.build([kk.Variable(w, name=f"w{i}") for i, w in enumerate(WEIGHTS)])
    theirs.build([keras.Variable(w, name=f"w{i}") for i, w in enumerate(WEIGHTS)])
    return ours, theirs


def _assert_lists_close(ours, theirs, atol=1e-6):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=atol)


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_variables_are_listed_in_keras_order(name, kwargs):
    ours, theirs = _pair(name, kwargs)
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    assert [v.shape for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]
    # kernelkit starts an EMA at the weights, Keras at zeros; the first update makes both the
    # weights (compared in the stateless_apply test), so only the other initial values agree
    pairs = [(a.numpy(), b.numpy()) for a, b in zip(ours.variables, theirs.variables)
             if not a.name.endswith("_average")]
    _assert_lists_close([a for a, _ in pairs], [b for _, b in pairs])


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_stateless_apply_matches_keras_under_jit(name, kwargs):
    ours, theirs = _pair(name, kwargs)
    their_opt = [v.value for v in theirs.variables]
    our_opt = [v.value for v in ours.variables]
    their_w, our_w = list(WEIGHTS), list(WEIGHTS)
    step = jax.jit(ours.stateless_apply)
    for _ in range(3):
        their_w, their_opt = theirs.stateless_apply(their_opt, GRADS, their_w)
        our_w, our_opt = step(our_opt, GRADS, our_w)
    _assert_lists_close(our_w, their_w)
    _assert_lists_close(our_opt, their_opt)
    assert int(ours.iterations) == 0  # pure: the optimizer's own state did not move


def test_stateless_apply_gives_the_update_of_apply():
    a, _ = _pair("Adam", {})
    b, _ = _pair("Adam", {})
    variables = [kk.Variable(w) for w in WEIGHTS]
    b.build(variables)
    new_w, new_opt = a.stateless_apply([v.value for v in a.variables], GRADS, WEIGHTS)
    b.apply(GRADS, variables)
    _assert_lists_close(new_w, [v.numpy() for v in variables])
    _assert_lists_close(new_opt, [v.numpy() for v in b.variables])


def test_assigning_variables_writes_the_optimizer_state():
    ours, _ = _pair("Adam", {})
    _, new_opt = ours.stateless_apply([v.value for v in ours.variables], GRADS, WEIGHTS)
    for variable, value in zip(ours.variables, new_opt, strict=True):
        variable.assign(value)
    assert int(ours.iterations) == 1
    _assert_lists_close([v.numpy() for v in ours.variables], new_opt)
    ours.variables[1].assign(0.25)
    assert float(ours.learning_rate) == 0.25


def test_unbuilt_optimizer_lists_iteration_and_learning_rate_like_keras():
    ours, theirs = kk.optimizers.SGD(0.2), keras.optimizers.SGD(0.2)
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    _assert_lists_close([v.numpy() for v in ours.variables],
                        [v.numpy() for v in theirs.variables])
    with pytest.raises(ValueError, match="build"):
        ours.stateless_apply([], GRADS, WEIGHTS)


def test_wrong_lengths_are_refused():
    ours, _ = _pair("SGD", {"momentum": 0.5})
    opt = [v.value for v in ours.variables]
    with pytest.raises(ValueError, match="optimizer_variables"):
        ours.stateless_apply(opt[:-1], GRADS, WEIGHTS)
    with pytest.raises(ValueError, match="trainable_variables"):
        ours.stateless_apply(opt, GRADS, WEIGHTS[:-1])


def test_variables_after_fit_read_the_trained_state():
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
    model.compile(kk.optimizers.Adam(0.01), "mse")
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 2), "float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    variables = model.optimizer.variables
    assert [v.name for v in variables][:2] == ["iteration", "learning_rate"]
    assert int(variables[0].numpy()) == 2 and len(variables) == 2 + 2 * 2
    grads = [jnp.zeros(v.shape) for v in model.trainable_variables]
    weights = [v.value for v in model.trainable_variables]
    new_w, new_opt = model.optimizer.stateless_apply([v.value for v in variables], grads,
                                                     weights)
    assert int(new_opt[0]) == 3 and len(new_w) == len(weights)
