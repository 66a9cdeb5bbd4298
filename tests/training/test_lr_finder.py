"""`Model.find_learning_rate`: a fused exponential sweep on copies; the model is unchanged."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.training.lr_finder import suggest


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    data = load_digits()
    return (data.data / 16).astype("float32"), data.target.astype("int32")


def _mlp(model_class=kk.Sequential):
    kk.utils.set_random_seed(0)
    model = model_class([kk.Input((64,)), kk.layers.Dense(64, activation="relu"),
                         kk.layers.Dense(10)])
    model.compile(kk.optimizers.SGD(), kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def test_the_sweep_leaves_weights_and_optimizer_state_bit_identical(digits):
    x, y = digits
    model = _mlp()
    model.fit(x[:256], y[:256], epochs=1, verbose=0)  # the optimizer now has state
    weights = [w.copy() for w in model.get_weights()]
    opt_state = [np.asarray(v).copy() for v in
                 jax.tree_util.tree_leaves(model._trainer.optimizer_state.get())]
    rate = float(model.optimizer.learning_rate)
    result = model.find_learning_rate(x, y, start=1e-4, stop=10, steps=30, verbose=0)
    assert len(result.losses) == 30 and np.all(np.diff(np.log(result.learning_rates)) > 0)
    for a, b in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    after = jax.tree_util.tree_leaves(model._trainer.optimizer_state.get())
    for a, b in zip(after, opt_state):
        np.testing.assert_array_equal(np.asarray(a), b)
    assert float(model.optimizer.learning_rate) == rate


def test_the_suggestion_trains_better_than_100_times_larger_or_smaller(digits):
    x, y = digits
    result = _mlp().find_learning_rate(x, y, start=1e-4, stop=10, steps=100, verbose=0)
    assert result.suggestion > 0 and result.minimum_over_10 > 0
    final = {}
    for factor in (1.0, 100.0, 0.01):
        model = _mlp()
        model.optimizer.learning_rate = result.suggestion * factor
        final[factor] = model.fit(x, y, epochs=5, verbose=0).history["loss"][-1]
    assert final[1.0] < final[100.0] and final[1.0] < final[0.01], final


def test_the_sweep_runs_fused(digits):
    x, y = digits
    calls = []

    class Counted(kk.Sequential):
        def train_step(self, data):
            calls.append(1)
            return super().train_step(data)

    _mlp(Counted).find_learning_rate(x, y, steps=40, verbose=0)
    assert len(calls) <= 2  # traced once into one compiled loop, not called per step


def test_text_and_html_views(digits, capsys):
    x, y = digits
    result = _mlp().find_learning_rate(x, y, steps=20, verbose=1)
    printed = capsys.readouterr().out
    assert "Learning-rate finder: 20 steps" in printed and "suggested" in printed
    assert result.png().startswith(b"\x89PNG")
    assert '<img alt="learning-rate finder" src="data:image/png;base64,' in result.html()


def test_suggest_picks_the_steepest_descent_before_divergence():
    rates = np.geomspace(1e-5, 10, 50)
    losses = np.concatenate([np.linspace(2.0, 1.9, 20), np.linspace(1.9, 0.5, 20),
                             np.linspace(0.5, 50, 10)])
    steepest, minimum_over_10 = suggest(rates, losses)
    assert rates[20] <= steepest <= rates[39]
    assert minimum_over_10 == pytest.approx(rates[39] / 10)


@pytest.mark.parametrize("kwargs, match", [
    ({"start": 1.0, "stop": 0.1}, r"expected 0 < start < stop"),
    ({"steps": 2}, r"`steps` must be an integer of at least 5"),
    ({"batch_size": 5000}, r"fewer than one batch of 5000"),
])
def test_bad_arguments_are_refused(digits, kwargs, match):
    x, y = digits
    with pytest.raises(ValueError, match=match):
        _mlp().find_learning_rate(x, y, verbose=0, **kwargs)


def test_an_uncompiled_model_is_refused(digits):
    x, y = digits
    model = kk.Sequential([kk.Input((64,)), kk.layers.Dense(10)])
    with pytest.raises(kk.NotCompiledError, match="find_learning_rate"):
        model.find_learning_rate(x, y, verbose=0)
