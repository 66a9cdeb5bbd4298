"""Loss and metric hooks, `stateless_compute_loss`, `add_loss`, `reset_metrics`, `kk.ops`
(catalogue 3.12, 3.13)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import ops


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 3)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def _build(cls=kk.Model, metrics=None, loss="mse", **compile_kwargs):
    inp = kk.Input((3,))
    model = cls(inp, kk.layers.Dense(2)(inp))
    model.compile(compile_kwargs.pop("optimizer", "sgd"), loss, metrics=metrics,
                  **compile_kwargs)
    return model


class ConstantLoss(kk.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return jnp.asarray(3.0) + 0.0 * jnp.sum(y_pred)


def test_overridden_compute_loss_replaces_the_training_loss():  # 173
    x, y = _data()
    model = _build(ConstantLoss)
    before = model.get_weights()
    h = model.fit(x, y, epochs=2, verbose=0)
    assert h.history["loss"] == [3.0, 3.0]
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_default_compute_loss_adds_model_losses():  # 174, 175
    x, y = _data(8)
    model = _build()
    pred = model(x)
    base = float(model.compute_loss(x, y, pred))
    assert base == pytest.approx(float(np.mean((np.asarray(pred) - y) ** 2)), rel=1e-5)
    model.add_loss(jnp.asarray(1.5))
    assert float(model.compute_loss(x, y, pred)) == pytest.approx(base + 1.5, rel=1e-5)


def test_compute_loss_is_none_without_any_loss():  # 175 (decision 14)
    x, _ = _data(4)
    inp = kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    model.compile("sgd")
    assert model.compute_loss(x, None, model(x)) is None
    with pytest.raises(ValueError, match="there is nothing to train"):
        model.fit(x, np.zeros((4, 2), "float32"), verbose=0)


class TrackerModel(kk.Model):
    """Keras 3's compute_loss example: a functional-constructed subclass with a loss tracker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = kk.metrics.Mean(name="loss")

    def compute_loss(self, x, y, y_pred, sample_weight, training=True):
        loss = ops.mean((y_pred - y) ** 2)
        loss += ops.sum(jnp.asarray(self.losses))
        self.loss_tracker.update_state(loss)
        return loss

    def reset_metrics(self):
        self.loss_tracker.reset_state()

    @property
    def metrics(self):
        return [self.loss_tracker]


def test_keras_compute_loss_example_with_add_loss_and_steps_per_execution():  # 176, 181
    x, y = _data(64)
    inputs = kk.Input(shape=(3,), name="inputs")
    outputs = kk.layers.Dense(2)(inputs)
    model = TrackerModel(inputs, outputs)
    model.add_loss(ops.sum(outputs))
    model.compile(kk.optimizers.SGD(learning_rate=0.001), loss="mse", steps_per_execution=10)
    spy = []

    class Epochs(kk.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            spy.append(self.model.get_weights())

    h = model.fit(x, y, epochs=2, steps_per_epoch=2, batch_size=16, shuffle=False, verbose=0,
                  callbacks=[Epochs()])
    assert list(h.history) == ["loss"]
    assert float(model.loss_tracker.result()) == pytest.approx(h.history["loss"][-1], rel=1e-5)
    # the tracker covers the last epoch only: recompute its two batches from the weights
    kernel, bias = spy[1]
    losses, weights = [], [w.copy() for w in spy[1]]
    for i in range(2):
        xb, yb = x[16 * i:16 * (i + 1)], y[16 * i:16 * (i + 1)]

        def loss_fn(w, xb=xb, yb=yb):
            pred = xb @ w[0] + w[1]
            return jnp.mean((pred - yb) ** 2) + jnp.sum(pred)

        value, grads = jax.value_and_grad(loss_fn)(weights)
        losses.append(float(value))
        weights = [w - 0.001 * g for w, g in zip(weights, grads)]
    assert h.history["loss"][-1] == pytest.approx(np.mean(losses), rel=1e-4)
    for ours, expected in zip(model.get_weights(), weights):
        np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-6)


def test_symbolic_add_loss_adds_the_expected_amount():  # 181, 182
    x, y = _data(16)
    inp = kk.Input((3,))
    out = kk.layers.Dense(2)(inp)
    plain, with_loss = kk.Model(inp, out), kk.Model(inp, out)
    with_loss.add_loss(ops.mean(ops.abs(out)))
    for model in (plain, with_loss):
        model.compile("sgd", "mse")
    pred = np.asarray(with_loss(x))
    assert len(with_loss.losses) == 1 and plain.losses == []
    extra = float(np.mean(np.abs(pred)))
    assert float(with_loss.losses[0]) == pytest.approx(extra, rel=1e-5)
    diff = with_loss.evaluate(x, y, verbose=0) - plain.evaluate(x, y, verbose=0)
    assert diff == pytest.approx(extra, rel=1e-4)
    expected = plain.test_on_batch(x, y) + extra
    assert with_loss.train_on_batch(x, y) == pytest.approx(expected, rel=1e-4)


def test_add_loss_eager_value_keeps_keras_semantics():  # 182
    model = _build()
    model.add_loss(jnp.asarray(2.0))
    assert [float(v) for v in model.losses] == [2.0]
    model(_data(2)[0])  # a new call starts a new list of call losses
    assert model.losses == []


def test_add_loss_with_a_non_scalar_symbolic_tensor_raises():
    inp = kk.Input((3,))
    out = kk.layers.Dense(2)(inp)
    model = kk.Model(inp, out)
    with pytest.raises(ValueError, match="expects a scalar loss"):
        model.add_loss(ops.square(out))


def test_add_loss_from_an_unrelated_graph_raises():
    inp, other = kk.Input((3,)), kk.Input((3,))
    model = kk.Model(inp, kk.layers.Dense(2)(inp))
    with pytest.raises(ValueError, match="not computed from the model's inputs"):
        model.add_loss(ops.sum(kk.layers.Dense(1)(other)))


class ExtraMetric(kk.Model):
    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        results = super().compute_metrics(x, y, y_pred, sample_weight)
        results["max_error"] = jnp.max(jnp.abs(y_pred - y))
        return results


def test_compute_metrics_override_adds_keys_to_logs_and_history():  # 177, 178
    x, y = _data()
    model = _build(ExtraMetric, metrics=["mae"], optimizer=kk.optimizers.SGD(learning_rate=0.0))
    seen = []

    class Spy(kk.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(sorted(logs))

    h = model.fit(x, y, batch_size=32, verbose=0, callbacks=[Spy()])
    assert seen == [["loss", "mae", "max_error"]]
    assert h.history["max_error"][0] == pytest.approx(
        float(np.max(np.abs(model.predict(x, verbose=0) - y))), rel=1e-5)
    pred = model(x)
    results = kk.Model.compute_metrics(model, x, y, pred)
    assert sorted(results) == sorted(m.name for m in model.metrics) == ["loss", "mae"]


def test_get_metrics_result_flattens_dict_results():  # 179
    class Pair(kk.metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")

        def update_state(self, *args, **kwargs):
            pass

        def result(self):
            return {"low": jnp.asarray(0.25), "high": jnp.asarray(0.75)}

        def reset_state(self):
            pass

    model = _build(metrics=["mae"])
    model.evaluate(*_data(8), verbose=0)
    model.pair = Pair()
    result = model.get_metrics_result()
    assert sorted(result) == ["high", "loss", "low", "mae"]
    assert float(result["low"]) == 0.25


def test_stateless_compute_loss_is_pure_and_differentiable():  # 180
    x, y = _data(8)
    model = _build()
    model.evaluate(x, y, verbose=0)
    trainable = [v[...] for v in model.trainable_variables]
    non_trainable = [v[...] for v in model.non_trainable_variables]
    metric_vars = [v[...] for v in model.metrics_variables]
    before = model.get_weights()
    loss, (t, nt, m) = model.stateless_compute_loss(trainable, non_trainable, metric_vars,
                                                    x=x, y=y)
    assert float(loss) == pytest.approx(model.evaluate(x, y, batch_size=8, verbose=0), rel=1e-5)
    assert len(t) == 2 and len(nt) == 0 and len(m) == len(metric_vars)

    def f(tv):
        return model.stateless_compute_loss(tv, non_trainable, metric_vars, x=x, y=y)[0]

    grads = jax.grad(f)(trainable)
    pred = x @ before[0] + before[1]
    # d/db mean((pred - y)^2) over 2 columns = 2 * mean_i(pred - y) / 2
    np.testing.assert_allclose(grads[1], np.mean(pred - y, axis=0),
                               rtol=1e-4, atol=1e-6)
    zero = [jnp.zeros_like(v) for v in trainable]
    assert float(f(zero)) == pytest.approx(float(np.mean(y ** 2)), rel=1e-5)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="expected 2 trainable_variables"):
        model.stateless_compute_loss(trainable[:1], non_trainable, metric_vars, x=x, y=y)


def test_reset_metrics_returns_every_metric_to_its_initial_state():  # 183
    x, y = _data()
    model = _build(metrics=["mae"])
    model.evaluate(x, y, verbose=0)
    assert all(float(v) > 0 for v in model.get_metrics_result().values())
    model.reset_metrics()
    assert all(float(v) == 0.0 for v in model.get_metrics_result().values())


def test_fit_resets_metrics_at_each_epoch():  # 184
    x, y = _data(64)
    model = _build(metrics=["mae"], optimizer=kk.optimizers.SGD(learning_rate=0.0))
    h = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert h.history["mae"] == pytest.approx([h.history["mae"][0]] * 3, rel=1e-6)
    assert h.history["mae"][0] == pytest.approx(model.evaluate(x, y, verbose=0)[1], rel=1e-5)


def test_ops_on_arrays_and_symbolic_tensors():
    a = np.arange(6, dtype="float32").reshape(2, 3)
    assert float(ops.sum(a)) == 15.0
    np.testing.assert_allclose(ops.mean(a, axis=0), [1.5, 2.5, 3.5])
    np.testing.assert_allclose(ops.matmul(a, a.T), a @ a.T)
    np.testing.assert_allclose(ops.concatenate([a, a], axis=1).shape, (2, 6))
    inp = kk.Input((3,))
    sym = ops.concatenate([ops.sqrt(ops.abs(inp)), ops.reshape(inp, (-1, 3, 1))[..., 0]], axis=-1)
    assert sym.shape == (None, 6)
    model = kk.Model(inp, ops.maximum(ops.exp(sym), ops.minimum(ops.log(ops.square(sym) + 1),
                                                                   1.0)))
    expected = np.maximum(np.exp(np.concatenate([np.sqrt(np.abs(a)), a], -1)),
                          np.minimum(np.log(np.concatenate([np.abs(a), a ** 2], -1) + 1), 1.0))
    np.testing.assert_allclose(np.asarray(model(a)), expected, rtol=1e-5)
