"""Keras 3's JAX custom-fit guide (`train_step(self, state, data)`), run on kernelkit and on
Keras 3 with the same weights and data: the same losses, metrics and weights."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras


def _guide_model(lib, own_metrics=False, with_test_step=False):
    """The guide's `CustomModel` written against `lib` (keras or kernelkit)."""

    class CustomModel(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if own_metrics:
                self.loss_tracker = lib.metrics.Mean(name="loss")
                self.mae_metric = lib.metrics.MeanAbsoluteError(name="mae")
                self.loss_fn = lib.losses.MeanSquaredError()

        def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, x, y,
                                     training=False):
            y_pred, non_trainable_variables = self.stateless_call(
                trainable_variables, non_trainable_variables, x, training=training)
            loss = self.loss_fn(y, y_pred) if own_metrics else self.compute_loss(x, y, y_pred)
            return loss, (y_pred, non_trainable_variables)

        def train_step(self, state, data):
            trainable, non_trainable, optimizer_vars, metrics_vars = state
            x, y = data
            grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
            (loss, (y_pred, non_trainable)), grads = grad_fn(trainable, non_trainable, x, y,
                                                             training=True)
            trainable, optimizer_vars = self.optimizer.stateless_apply(optimizer_vars, grads,
                                                                       trainable)
            logs, new_metrics = self._metrics_step(metrics_vars, loss, y, y_pred)
            return logs, (trainable, non_trainable, optimizer_vars, new_metrics)

        def _metrics_step(self, metrics_vars, loss, y, y_pred):
            new_metrics, logs = [], {}
            for metric in self._guide_metrics():
                n = len(metric.variables)
                own = metrics_vars[len(new_metrics):len(new_metrics) + n]
                if metric.name == "loss":
                    own = metric.stateless_update_state(own, loss)
                else:
                    own = metric.stateless_update_state(own, y, y_pred)
                logs[metric.name] = metric.stateless_result(own)
                new_metrics += own
            return logs, new_metrics

        def _guide_metrics(self):
            if own_metrics:
                return [self.loss_tracker, self.mae_metric]
            # Keras 3 lists its compiled metrics as one `compile_metrics` entry; the guide's
            # loop handles both layouts through `metric.variables`.
            return self.metrics

        if with_test_step:
            def test_step(self, state, data):
                x, y = data
                trainable, non_trainable, metrics_vars = state
                y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x,
                                                            training=False)
                loss = self.loss_fn(y, y_pred)
                logs, new_metrics = self._metrics_step(metrics_vars, loss, y, y_pred)
                return logs, (trainable, non_trainable, new_metrics)

    if own_metrics:
        CustomModel.metrics = property(lambda self: [self.loss_tracker, self.mae_metric])
    inputs = lib.Input(shape=(32,))
    outputs = lib.layers.Dense(1)(inputs)
    return CustomModel(inputs, outputs)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 32)).astype("float32")
    return x, (x[:, :1] * 0.5 + rng.normal(size=(256, 1)) * 0.1).astype("float32")


def _pair(own_metrics=False, with_test_step=False):
    k_model = _guide_model(keras, own_metrics, with_test_step)
    kk_model = _guide_model(kk, own_metrics, with_test_step)
    kk_model.set_weights(k_model.get_weights())
    return k_model, kk_model


def _fit_both(k_model, kk_model, data, **compile_args):
    x, y = data
    k_model.compile(optimizer=keras.optimizers.Adam(0.01), **compile_args)
    kk_model.compile(optimizer=kk.optimizers.Adam(0.01), **compile_args)
    args = dict(epochs=3, batch_size=32, shuffle=False, verbose=0)
    return k_model.fit(x, y, **args).history, kk_model.fit(x, y, **args).history


def test_guide_step_with_compiled_loss_and_metrics_trains_as_keras(data):
    k_model, kk_model = _pair()
    k_hist, kk_hist = _fit_both(k_model, kk_model, data, loss="mse", metrics=["mae"])
    np.testing.assert_allclose(kk_hist["loss"], k_hist["loss"], rtol=1e-4)
    np.testing.assert_allclose(kk_hist["mae"], k_hist["mae"], rtol=1e-4)
    for mine, theirs in zip(kk_model.get_weights(), k_model.get_weights()):
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-5)
    assert int(kk_model.optimizer.iterations) == int(k_model.optimizer.iterations) == 24


def test_guide_step_with_its_own_metrics_and_test_step_matches_keras(data):
    k_model, kk_model = _pair(own_metrics=True, with_test_step=True)
    k_hist, kk_hist = _fit_both(k_model, kk_model, data)
    np.testing.assert_allclose(kk_hist["loss"], k_hist["loss"], rtol=1e-4)
    np.testing.assert_allclose(kk_hist["mae"], k_hist["mae"], rtol=1e-4)
    x, y = data
    k_eval = k_model.evaluate(x, y, verbose=0, return_dict=True)
    kk_eval = kk_model.evaluate(x, y, verbose=0, return_dict=True)
    np.testing.assert_allclose(kk_eval["loss"], k_eval["loss"], rtol=1e-4)
    np.testing.assert_allclose(kk_eval["mae"], k_eval["mae"], rtol=1e-4)


def test_stateful_step_trains_as_the_built_in_fit(data):
    """The guide's step trains to the same loss as kernelkit's own `fit` on the same data."""
    x, y = data
    custom = _guide_model(kk)
    plain_in = kk.Input(shape=(32,))
    plain = kk.Model(plain_in, kk.layers.Dense(1)(plain_in))
    plain.set_weights(custom.get_weights())
    for model in (custom, plain):
        model.compile(optimizer=kk.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    args = dict(epochs=3, batch_size=32, shuffle=False, verbose=0)
    np.testing.assert_allclose(custom.fit(x, y, **args).history["loss"],
                               plain.fit(x, y, **args).history["loss"], rtol=1e-5)


def test_stateful_step_runs_fused_and_compiles_once(data):
    x, y = data
    model = _guide_model(kk)
    model.compile(optimizer="adam", loss="mse", steps_per_execution=4)
    traces = []
    step = type(model).train_step

    def counting(self, state, batch):
        traces.append(1)
        return step(self, state, batch)

    type(model).train_step = counting
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    assert len(traces) == 1  # one trace serves every dispatch of both epochs
    assert int(model.optimizer.iterations) == 16


def test_a_step_returning_the_wrong_state_names_the_model(data):
    x, y = data

    class Broken(kk.Model):
        def train_step(self, state, data):
            return {}, state[:2]

    inputs = kk.Input(shape=(32,))
    model = Broken(inputs, kk.layers.Dense(1)(inputs), name="broken")
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"Model 'broken': train_step\(self, state, data\) "
                                         r"must return \(logs, state\)"):
        model.fit(x, y, epochs=1, verbose=0)


def test_stateful_predict_step_and_batch_norm_statistics(data):
    """`predict_step(self, state, data)` as in Keras 3; the moving statistics a stateless
    train step returns reach the model."""
    x, y = data

    class WithState(kk.Model):
        def train_step(self, state, data):
            trainable, non_trainable, optimizer_vars, metrics_vars = state
            x, y = data
            _, non_trainable = self.stateless_call(trainable, non_trainable, x, training=True)
            return {}, (trainable, non_trainable, optimizer_vars, metrics_vars)

        def predict_step(self, state, data):
            trainable, non_trainable = state
            outputs, non_trainable = self.stateless_call(trainable, non_trainable, data[0])
            return outputs * 2.0, non_trainable

    inputs = kk.Input(shape=(32,))
    model = WithState(inputs, kk.layers.BatchNormalization(momentum=0.5)(inputs))
    model.compile("sgd", "mse")
    model.fit(x, x, epochs=1, batch_size=256, verbose=0)
    moving_mean = model.layers[1].moving_mean.numpy()
    np.testing.assert_allclose(moving_mean, 0.5 * x.mean(axis=0), rtol=1e-4, atol=1e-6)
    expected = 2.0 * np.asarray(model(x[:8], training=False))
    np.testing.assert_allclose(model.predict(x[:8], verbose=0), expected, rtol=1e-5)
