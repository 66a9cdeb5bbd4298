"""Metric state the Keras 3 way (`add_variable`, `variables`, stateless methods), vs Keras 3."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

Y_TRUE = np.array([[0.0], [1.0], [2.0], [4.0]], "float32")
Y_PRED = np.array([[0.5], [1.0], [1.0], [3.0]], "float32")


def _metric_classes(base, count_initializer="ones"):
    """The same Keras-3-style custom metrics, on kernelkit's or Keras's `Metric`."""

    class MeanAbsError(base):
        def __init__(self, name="mean_abs_error", **kwargs):
            super().__init__(name=name, **kwargs)
            self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            self.count = self.add_weight(shape=(), initializer=count_initializer,
                                         name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.total.assign_add(jnp.sum(jnp.abs(y_true - y_pred)))
            self.count.assign_add(jnp.asarray(jnp.size(y_true), "float32"))

        def result(self):
            return self.total.value / jnp.maximum(self.count.value, 1.0)

    class Histogram(base):
        """A vector state and an integer variable, with a sub-metric."""

        def __init__(self, name="histogram", **kwargs):
            super().__init__(name=name, **kwargs)
            self.bins = self.add_variable(shape=(3,), initializer="zeros", name="bins",
                                          aggregation="mean")
            self.calls = self.add_variable(shape=(), initializer="zeros", dtype="int32",
                                           name="calls")
            self.inner = MeanAbsError(name="inner")

        def update_state(self, y_true, y_pred, sample_weight=None):
            index = jnp.clip(jnp.round(y_pred[:, 0]).astype("int32"), 0, 2)
            self.bins.assign_add(jnp.zeros(3).at[index].add(1.0))
            self.calls.assign_add(1)
            self.inner.update_state(y_true, y_pred)

        def result(self):
            return self.bins.value[0] + self.inner.result()

    return MeanAbsError, Histogram


OURS = _metric_classes(kk.metrics.Metric)
THEIRS = _metric_classes(keras.metrics.Metric)


def _close(a, b):
    for x, y in zip(jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b), strict=True):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-6)


@pytest.mark.parametrize("index", [0, 1])
def test_variables_match_keras(index):
    ours, theirs = OURS[index](), THEIRS[index]()
    assert [v.name for v in ours.variables] == [v.name for v in theirs.variables]
    for a, b in zip(ours.variables, theirs.variables, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert (a.aggregation, a.synchronization, a.trainable) == (
            b.aggregation, b.synchronization, b.trainable)
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("index", [0, 1])
def test_stateful_api_matches_keras(index):
    ours, theirs = OURS[index](), THEIRS[index]()
    for _ in range(2):
        ours.update_state(Y_TRUE, Y_PRED)
        theirs.update_state(Y_TRUE, Y_PRED)
    _close(ours.result(), theirs.result())
    _close([v.numpy() for v in ours.variables], [v.numpy() for v in theirs.variables])
    ours.reset_state()
    theirs.reset_state()  # Keras's base resets every variable to zeros, initializer or not
    _close([v.numpy() for v in ours.variables], [v.numpy() for v in theirs.variables])
    _close(ours(Y_TRUE, Y_PRED), theirs(Y_TRUE, Y_PRED))


@pytest.mark.parametrize("index", [0, 1])
def test_stateless_methods_match_keras_under_jit_and_leave_the_metric(index):
    ours, theirs = OURS[index](), THEIRS[index]()
    state = [v.value for v in theirs.variables]
    want = theirs.stateless_update_state(state, Y_TRUE, Y_PRED)
    got = jax.jit(ours.stateless_update_state)(state, Y_TRUE, Y_PRED)
    _close(got, want)
    _close(jax.jit(ours.stateless_result)(got), theirs.stateless_result(want))
    _close(ours.stateless_reset_state(), theirs.stateless_reset_state())
    _close([v.numpy() for v in ours.variables], [v.numpy() for v in theirs.variables])
    with pytest.raises(ValueError, match="metric_variables"):
        ours.stateless_update_state(state[:-1], Y_TRUE, Y_PRED)


@pytest.mark.parametrize("name", ["Mean", "MeanSquaredError", "BinaryAccuracy", "AUC"])
def test_stateless_methods_of_builtin_metrics_match_keras(name):
    ours, theirs = getattr(kk.metrics, name)(), getattr(keras.metrics, name)()
    y_true = (Y_TRUE > 1).astype("float32")
    y_pred = Y_PRED / 4
    args = (y_pred,) if name == "Mean" else (y_true, y_pred)
    ours.update_state(*args)  # builds the state
    state = [v.value for v in theirs.variables]
    assert len(ours.variables) == len(state)
    want = theirs.stateless_update_state(state, *args)
    got = jax.jit(ours.stateless_update_state)(state, *args)
    _close(got, want)
    _close(ours.stateless_result(got), theirs.stateless_result(want))
    _close(ours.stateless_reset_state(), theirs.stateless_reset_state())


def test_add_variable_before_super_init_says_to_call_it():
    class Broken(kk.metrics.Metric):
        def __init__(self):
            self.total = self.add_variable((), "zeros")

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def _fit_history(lib, metric):
    model = lib.Sequential([lib.Input((1,)), lib.layers.Dense(1, kernel_initializer="ones")])
    model.compile(lib.optimizers.SGD(0.05), "mse", metrics=[metric, "mae"],
                  steps_per_execution=2)
    x = np.linspace(-1, 1, 32, dtype="float32")[:, None]
    history = model.fit(x, 2 * x + 1, batch_size=8, epochs=3, verbose=0, shuffle=False)
    logs = model.evaluate(x, 2 * x + 1, verbose=0, return_dict=True)
    return history.history, logs


def test_keras_style_metric_trains_inside_fit_like_keras():
    # zero initializers: fit() resets to the initial values, Keras's reset_state to zeros
    ours, our_logs = _fit_history(kk, _metric_classes(kk.metrics.Metric, "zeros")[0](
        name="custom_mae"))
    theirs, their_logs = _fit_history(keras, _metric_classes(keras.metrics.Metric, "zeros")[0](
        name="custom_mae"))
    for key in ("loss", "mae", "custom_mae"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, err_msg=key)
        np.testing.assert_allclose(our_logs[key], their_logs[key], rtol=1e-5, err_msg=key)
    assert ours["custom_mae"][-1] < ours["custom_mae"][0]


def test_builtin_metric_variables_have_keras_names_and_flags():
    ours, theirs = kk.metrics.Mean(name="m"), keras.metrics.Mean(name="m")
    ours.update_state([1.0])
    assert [v.path for v in ours.variables] == [v.path for v in theirs.variables]
    assert [(v.aggregation, v.synchronization, v.trainable) for v in ours.variables] == [
        (v.aggregation, v.synchronization, v.trainable) for v in theirs.variables]
