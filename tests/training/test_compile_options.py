"""`compile()` options: cache clearing, `run_eagerly`, `jit_compile`, argument checks and the
legacy `sample_weight_mode` (catalogue 3.3, statements 51-53, 58, 59)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers


def _data(n=40, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    return x, (x @ np.arange(1, d + 1, dtype="float32"))[:, None]


def _mlp():
    return kk.Sequential([kk.Input((4,)), layers.Dense(1)])


def test_recompile_clears_cached_steps():  # 51
    x = np.ones((8, 4), "float32")
    y = np.zeros((8, 1), "float32")
    model = _mlp()
    model.compile("sgd", "mse")
    model.fit(x, y, epochs=1, verbose=0)
    builds = model._trainer.builds["train"]
    model.compile("sgd", "mae")
    before = model.predict(x, verbose=0)
    # one batch: the logged loss is computed before the update, so it is the new loss (MAE)
    logged = model.fit(x, y, epochs=1, batch_size=8, verbose=0).history["loss"][0]
    assert model._trainer.builds["train"] == builds + 1
    assert logged == pytest.approx(float(np.abs(before).mean()), rel=1e-5)


def test_run_eagerly_runs_python_each_batch():  # 52
    calls = []

    class Spy(layers.Layer):
        def call(self, inputs):
            calls.append(1)
            return inputs

    model = kk.Sequential([kk.Input((4,)), Spy(), layers.Dense(1)])
    model.compile("sgd", "mse", run_eagerly=True)
    assert model.run_eagerly is True
    x, y = _data(n=40)
    calls.clear()
    model.fit(x, y, batch_size=10, epochs=2, verbose=0)
    assert len(calls) >= 8  # at least one call per batch: nothing is traced once and cached
    jitted = kk.Sequential([kk.Input((4,)), Spy(), layers.Dense(1)])
    jitted.compile("sgd", "mse")
    assert jitted.run_eagerly is False
    jitted.fit(x, y, batch_size=10, epochs=1, verbose=0)
    calls.clear()
    jitted.fit(x, y, batch_size=10, epochs=2, verbose=0)
    assert len(calls) < 8


@pytest.mark.parametrize("value", ["auto", True, False])
def test_jit_compile_is_reflected(value):  # 53
    model = _mlp()
    model.compile("sgd", "mse", jit_compile=value)
    assert model.jit_compile == value
    fresh = _mlp()
    fresh.compile("sgd", "mse")
    assert fresh.jit_compile == "auto"


def test_bad_compile_options_raise():
    model = _mlp()
    with pytest.raises(ValueError, match=r"steps_per_execution must be a positive integer"):
        model.compile("sgd", "mse", steps_per_execution=0)
    with pytest.raises(ValueError, match=r"jit_compile must be True, False or 'auto'"):
        model.compile("sgd", "mse", jit_compile="xla")
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['lossweights'\]"):
        model.compile("sgd", "mse", lossweights=[1.0])
    with pytest.raises(ValueError, match=r"sample_weight_mode must be None or 'temporal'"):
        model.compile("sgd", "mse", sample_weight_mode="sample")
    with pytest.raises(TypeError, match=r"`metrics` must be a list or a dict"):
        model.compile("sgd", "mse", metrics="mae")
        model.fit(np.ones((2, 4)), np.ones((2, 1)), verbose=0)


def test_positional_third_argument_raises_type_error():  # 58, decision 6.1
    model = _mlp()
    model.compile(kk.optimizers.SGD(), "mse")  # optimizer and loss stay positional
    assert model.compiled
    with pytest.raises(TypeError, match=r"everything else is keyword-only.*order changed"):
        model.compile("sgd", "mse", ["mae"])


def test_sample_weight_mode_temporal_allows_2d_weights():  # 59
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 5, 2)).astype("float32")
    y = rng.normal(size=(6, 5, 1)).astype("float32")
    w = np.ones((6, 5), "float32")
    w[:, 3:] = 0.0
    model = kk.Sequential([kk.Input((5, 2)), layers.Dense(1)])
    model.compile("sgd", "mse", sample_weight_mode="temporal")
    got = model.evaluate(x, y, sample_weight=w, verbose=0)
    pred = model.predict(x, verbose=0)
    per_step = ((pred - y) ** 2).mean(axis=-1)
    np.testing.assert_allclose(got, (per_step * w).sum() / w.size, rtol=1e-5)
