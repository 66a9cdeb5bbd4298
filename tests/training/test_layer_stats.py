"""Per-layer statistics measured inside the jitted step: equal to norms computed by hand on the
same step, NaN/inf flags on the right layer, kept out of the logs, compiled only when asked."""

import jax
import jax.numpy as jnp
import numpy as np

import kernelkit as kk
from kernelkit.training.layer_stats import LAYER_STATS_KEY, LayerGroups


class Recorder(kk.callbacks.Callback):
    """Asks for the statistics and keeps each dispatch's `LayerHealth` and logs."""

    wants_layer_stats = True

    def __init__(self):
        super().__init__()
        self.health, self.batch_logs, self.epoch_logs = [], [], []

    def on_train_batch_end(self, batch, logs=None):
        self.health.append(self._model.training_session.layer_health())
        self.batch_logs.append(dict(logs or {}))

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_logs.append(dict(logs or {}))


def _data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, rng.normal(size=(n, 2)).astype("float32")


def _mlp(optimizer="adam", **compile_args):
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(5, activation="relu", name="a"),
                           kk.layers.Dense(3, activation="relu", name="b"),
                           kk.layers.Dense(2, name="c")])
    model.compile(optimizer, "mse", **compile_args)
    return model


def _hand_gradients(weights, x, y):
    """The MSE gradients of the three Dense layers, written out by hand."""

    def loss(ws):
        h = jax.nn.relu(x @ ws[0] + ws[1])
        h = jax.nn.relu(h @ ws[2] + ws[3])
        return jnp.mean((h @ ws[4] + ws[5] - y) ** 2)

    return [np.asarray(g) for g in jax.grad(loss)([jnp.asarray(w) for w in weights])]


def _norm(*arrays):
    return float(np.sqrt(sum(np.sum(np.square(np.asarray(a, np.float64))) for a in arrays)))


def test_values_equal_norms_computed_by_hand_on_the_same_step():
    x, y = _data()
    model = _mlp(kk.optimizers.Adam(0.05))
    before = model.get_weights()
    recorder = Recorder()
    model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0,
              callbacks=[recorder])
    after = model.get_weights()
    (health,) = recorder.health
    grads = _hand_gradients(before, x, y)
    assert health.names == ("a", "b", "c")
    for i in range(3):
        pair = slice(2 * i, 2 * i + 2)
        np.testing.assert_allclose(health.weight_norm[i], _norm(*before[pair]), rtol=1e-5)
        np.testing.assert_allclose(health.gradient_norm[i], _norm(*grads[pair]), rtol=1e-4)
        deltas = [w1 - w0 for w0, w1 in zip(before[pair], after[pair])]
        np.testing.assert_allclose(health.update_norm[i], _norm(*deltas), rtol=1e-4)
        np.testing.assert_allclose(health.update_ratio[i], _norm(*deltas) / _norm(*before[pair]),
                                   rtol=1e-4)
    assert health.weights_finite.all() and health.gradients_finite.all()
    assert health.problems() == []


def test_several_steps_per_dispatch_report_the_last_step():
    x, y = _data(24)
    model = _mlp(kk.optimizers.SGD(0.1), steps_per_execution=3)
    twin = _mlp(kk.optimizers.SGD(0.1))
    twin.set_weights(model.get_weights())
    recorder = Recorder()
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
    twin.fit(x[:16], y[:16], batch_size=8, epochs=1, shuffle=False, verbose=0)
    (health,) = recorder.health  # one dispatch of three steps
    before = twin.get_weights()  # the weights the third step started from
    grads = _hand_gradients(before, x[16:], y[16:])
    for i in range(3):
        pair = slice(2 * i, 2 * i + 2)
        np.testing.assert_allclose(health.weight_norm[i], _norm(*before[pair]), rtol=1e-5)
        np.testing.assert_allclose(health.gradient_norm[i], _norm(*grads[pair]), rtol=1e-4)
        np.testing.assert_allclose(health.update_norm[i], 0.1 * health.gradient_norm[i],
                                   rtol=1e-5)  # plain SGD: the update is -lr * grad


def test_nan_in_one_layers_weights_flags_that_layer():
    x, y = _data()
    model = _mlp("sgd")
    weights = model.get_weights()
    weights[2][0, 1] = np.nan  # layer b's kernel
    model.set_weights(weights)
    recorder = Recorder()
    model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, callbacks=[recorder])
    (health,) = recorder.health
    assert list(health.weights_finite) == [True, False, True]
    assert dict(health.problems())["b"] == "NaN/inf in weights"
    assert dict(health.problems())["a"] == "NaN/inf in gradients"


class SqrtGate(kk.layers.Layer):
    """`x * sqrt(|w|)` with `w = 0`: its own gradient is NaN, the input's is zero."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(), initializer="zeros", name="w")

    def call(self, x):
        return x * jnp.sqrt(jnp.abs(self.w.value))


def test_nan_gradient_of_one_layer_flags_it_and_the_vanishing_layer_below():
    x, y = _data()
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(3, name="below"),
                           SqrtGate(name="gate"), kk.layers.Dense(2, name="above")])
    model.compile("sgd", "mse")
    recorder = Recorder()
    model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, callbacks=[recorder])
    (health,) = recorder.health
    assert health.names == ("below", "gate", "above")
    assert list(health.gradients_finite) == [True, False, True]
    problems = dict(health.problems())
    assert problems["gate"] == "NaN/inf in gradients"
    assert problems["below"].startswith("vanishing gradients")
    assert "above" not in problems


def test_statistics_stay_out_of_logs_and_history():
    x, y = _data()
    model = _mlp()
    recorder = Recorder()
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[recorder])
    assert set(history.history) == {"loss"}
    assert all(set(logs) == {"loss"} for logs in recorder.batch_logs + recorder.epoch_logs)
    assert all(h is not None for h in recorder.health)


def _train_logs_shapes(model, fns, x, y):
    carry = fns.partition.carry_of(model)
    carry.opt_state = model.optimizer.transform.init(carry.params)
    return jax.eval_shape(fns._raw["train_once"], carry, (x, y))[1]


def test_off_by_default_and_the_stats_program_is_cached():
    x, y = _data()
    model = _mlp()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    fns = model.train_function.fns
    assert fns.layer_groups is None  # the default program measures nothing
    assert LAYER_STATS_KEY not in _train_logs_shapes(model, fns, x[:8], y[:8])
    builds = dict(model._trainer.builds)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Recorder()])
    stats_fns = fns.with_layer_stats(model)
    assert _train_logs_shapes(model, stats_fns, x[:8], y[:8])[LAYER_STATS_KEY].shape == (5, 3)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Recorder()])
    assert fns.with_layer_stats(model) is stats_fns
    assert model._trainer.builds == builds and model.train_function.fns is fns


def test_a_custom_train_step_gets_statistics_through_apply_gradients():
    class Custom(kk.Model):
        def train_step(self, data):
            x, y = data
            loss, _, grads = self.compute_loss_and_gradients(x, y)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss}

    inputs = kk.Input((4,))
    model = Custom(inputs, kk.layers.Dense(2, name="d")(inputs))
    model.compile("sgd", "mse")
    recorder = Recorder()
    x, y = _data()
    model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, callbacks=[recorder])
    (health,) = recorder.health
    assert health.names == ("d",) and health.gradient_norm[0] > 0


def test_layer_groups_group_weights_by_layer_path():
    groups = LayerGroups(["00000/block/conv/kernel", "00001/block/conv/bias",
                          "00002/head/kernel", "00003/scale"])
    assert groups.names == ("block/conv", "head", "scale")
    assert groups.members[0] == ("00000/block/conv/kernel", "00001/block/conv/bias")


def test_training_result_is_the_same_with_and_without_statistics():
    x, y = _data()
    model = _mlp(kk.optimizers.Adam(0.01))
    model.set_weights([np.full_like(w, 0.1) for w in model.get_weights()])
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
              callbacks=[Recorder()])
    reference = _mlp(kk.optimizers.Adam(0.01))
    reference.set_weights([np.full_like(w, 0.1) for w in reference.get_weights()])
    reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
