"""`compile()`: optimizers, losses, loss weights, metrics and compile options (catalogue 3.3)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras


def _data(n=40, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    return x, (x @ np.arange(1, d + 1, dtype="float32"))[:, None]


def _mlp(lib=kk, units=1, activation=None):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(units, activation=activation)])


def _two_outputs(lib=kk):
    inputs = lib.Input((4,), name="x")
    hidden = lib.layers.Dense(3, activation="relu", name="hidden")(inputs)
    out_a = lib.layers.Dense(1, name="out_a")(hidden)
    out_b = lib.layers.Dense(3, activation="softmax", name="out_b")(hidden)
    return lib.Model(inputs, [out_a, out_b])


def _two_output_data(n=32):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 4)).astype("float32")
    y_a = rng.normal(size=(n, 1)).astype("float32")
    y_b = np.eye(3, dtype="float32")[rng.integers(0, 3, size=(n,))]
    return x, y_a, y_b


def _weights(model):
    return [np.array(w) for w in model.get_weights()]


def _assert_same(before, after):
    assert len(before) == len(after)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


# ---- optimizer ----------------------------------------------------------------------------------

def test_default_optimizer_is_rmsprop():  # 29
    model = _mlp()
    model.compile(loss="mse")
    assert isinstance(model.optimizer, kk.optimizers.RMSprop)


@pytest.mark.parametrize("optimizer", ["adam", "Adam", "ADAM"])
def test_optimizer_name_is_case_insensitive(optimizer):  # 30
    model = _mlp()
    model.compile(optimizer, "mse")
    assert isinstance(model.optimizer, kk.optimizers.Adam)


def test_optimizer_instance_is_kept():  # 30
    optimizer = kk.optimizers.SGD(learning_rate=0.5)
    model = _mlp()
    model.compile(optimizer=optimizer, loss="mse")
    assert model.optimizer is optimizer


@pytest.mark.parametrize("kwargs, match", [
    ({"optimizer": "adamm", "loss": "mse"}, r"unknown optimizer 'adamm'.*'adam'.*'sgd'"),
    ({"loss": "mean_sqared_error"}, r"unknown loss 'mean_sqared_error'.*'mse'"),
    ({"loss": "mse", "metrics": ["acuracy"]}, r"unknown metric 'acuracy'.*'accuracy'"),
    ({"loss": "mse", "weighted_metrics": ["maee"]}, r"unknown metric 'maee'.*'mae'"),
])
def test_unknown_names_raise_listing_valid_ones_and_leave_model_untouched(kwargs, match):
    # 31, 32, 33: at compile time, before any data is seen.
    x, y = _data()
    model = _mlp()
    model.compile("sgd", "mae")
    model.fit(x, y, epochs=1, verbose=0)
    before = _weights(model)
    with pytest.raises(ValueError, match=match):
        model.compile(**kwargs)
    _assert_same(before, _weights(model))


# ---- losses -------------------------------------------------------------------------------------

def test_callable_loss_equals_named_loss():  # 34
    x, y = _data()

    def my_mse(y_true, y_pred):
        return ((y_true - y_pred) ** 2).mean(axis=-1)

    a, b = _mlp(), _mlp()
    b.set_weights(a.get_weights())
    a.compile("sgd", my_mse)
    b.compile("sgd", "mse")
    np.testing.assert_allclose(a.evaluate(x, y, verbose=0), b.evaluate(x, y, verbose=0),
                               rtol=1e-6)
    ha = a.fit(x, y, epochs=2, shuffle=False, verbose=0)
    hb = b.fit(x, y, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(ha.history["loss"], hb.history["loss"], rtol=1e-5)


def test_loss_instance_matches_keras():  # 35
    x, y = _data()
    k_model, kk_model = _mlp(keras), _mlp()
    kk_model.set_weights(k_model.get_weights())
    k_model.compile("sgd", keras.losses.Huber(delta=0.5))
    kk_model.compile("sgd", kk.losses.Huber(delta=0.5))
    kwargs = {"epochs": 2, "batch_size": 8, "shuffle": False, "verbose": 0}
    np.testing.assert_allclose(kk_model.fit(x, y, **kwargs).history["loss"],
                               k_model.fit(x, y, **kwargs).history["loss"], rtol=1e-4)


def test_loss_with_reduction_none_is_per_sample_and_fit_reduces_it():  # 36
    loss = kk.losses.MeanSquaredError(reduction=None)
    y_true = np.zeros((5, 3), "float32")
    y_pred = np.ones((5, 3), "float32") * np.arange(5, dtype="float32")[:, None]
    values = np.asarray(loss(y_true, y_pred))
    assert values.shape == (5,)
    np.testing.assert_allclose(values, np.arange(5.0) ** 2)
    x, y = _data()
    model = _mlp()
    model.compile("sgd", kk.losses.MeanSquaredError(reduction=None))
    reference = _mlp()
    reference.set_weights(model.get_weights())
    reference.compile("sgd", "mse")
    history = model.fit(x, y, epochs=2, shuffle=False, verbose=0)
    assert all(isinstance(v, float) for v in history.history["loss"])
    np.testing.assert_allclose(
        history.history["loss"],
        reference.fit(x, y, epochs=2, shuffle=False, verbose=0).history["loss"], rtol=1e-5)


def test_sparse_categorical_crossentropy_takes_labels_of_shape_n_or_n_1():  # 37
    x, _ = _data()
    labels = np.random.default_rng(2).integers(0, 3, size=(40,))
    model = _mlp(units=3, activation="softmax")
    model.compile("sgd", "sparse_categorical_crossentropy")
    flat = model.evaluate(x, labels, verbose=0)
    column = model.evaluate(x, labels[:, None], verbose=0)
    np.testing.assert_allclose(flat, column, rtol=1e-6)
    probs = model.predict(x, verbose=0)
    np.testing.assert_allclose(flat, -np.log(probs[np.arange(40), labels]).mean(), rtol=1e-5)


# ---- several outputs ----------------------------------------------------------------------------

def _per_output_losses(model, x, y_a, y_b):
    pred_a, pred_b = model.predict(x, verbose=0)
    l_a = float(((pred_a - y_a) ** 2).mean())
    eps = 1e-7
    p = np.clip(pred_b, eps, 1 - eps)
    l_b = float(-(y_b * np.log(p)).sum(axis=-1).mean())
    return l_a, l_b


@pytest.mark.parametrize("loss_weights, factors", [
    (None, (1.0, 1.0)),
    ([0.5, 2.0], (0.5, 2.0)),
    ({"out_a": 0.5, "out_b": 2.0}, (0.5, 2.0)),
])
@pytest.mark.parametrize("form", ["list", "dict"])
def test_multi_output_total_loss_is_weighted_sum(loss_weights, factors, form):  # 38-41
    x, y_a, y_b = _two_output_data()
    model = _two_outputs()
    loss = (["mse", "categorical_crossentropy"] if form == "list"
            else {"out_b": "categorical_crossentropy", "out_a": "mse"})
    model.compile("sgd", loss, loss_weights=loss_weights)
    logs = model.evaluate(x, [y_a, y_b], verbose=0, return_dict=True, batch_size=32)
    l_a, l_b = _per_output_losses(model, x, y_a, y_b)
    np.testing.assert_allclose(logs["out_a_loss"], l_a, rtol=1e-5)
    np.testing.assert_allclose(logs["out_b_loss"], l_b, rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], factors[0] * l_a + factors[1] * l_b, rtol=1e-5)


def test_multi_output_fit_matches_keras_with_loss_weights():  # 38-41, differential
    x, y_a, y_b = _two_output_data()
    k_model, kk_model = _two_outputs(keras), _two_outputs()
    kk_model.set_weights(k_model.get_weights())
    for model in (k_model, kk_model):
        model.compile("sgd", {"out_a": "mse", "out_b": "categorical_crossentropy"},
                      loss_weights={"out_a": 0.5, "out_b": 2.0})
    kwargs = {"epochs": 2, "batch_size": 8, "shuffle": False, "verbose": 0}
    ours = kk_model.fit(x, [y_a, y_b], **kwargs).history
    theirs = k_model.fit(x, [y_a, y_b], **kwargs).history
    assert set(ours) == set(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, err_msg=key)


@pytest.mark.parametrize("loss_weights, match", [
    ([1.0], r"loss_weights has 1 entries but the model has 2 outputs"),
    ([1.0, 2.0, 3.0], r"loss_weights has 3 entries"),
    ({"out_c": 1.0}, r"loss_weights names output\(s\) \['out_c'\]"),
])
def test_bad_loss_weights_raise(loss_weights, match):  # 42
    x, y_a, y_b = _two_output_data()
    model = _two_outputs()
    model.compile("sgd", ["mse", "mse"], loss_weights=loss_weights)
    model(x[:1])
    before = _weights(model)
    with pytest.raises(ValueError, match=match):
        model.fit(x, [y_a, y_b], verbose=0)
    _assert_same(before, _weights(model))


# ---- metrics ------------------------------------------------------------------------------------

@pytest.mark.parametrize("metrics", [
    {"out_a": "mae", "out_b": ["accuracy", "mse"]},
    [["mae"], ["accuracy", "mse"]],
    ["mae", ["accuracy", "mse"]],
])
def test_per_output_metrics_have_keras_names(metrics):  # 43, 44
    x, y_a, y_b = _two_output_data()
    k_model, kk_model = _two_outputs(keras), _two_outputs()
    kk_model.set_weights(k_model.get_weights())
    for model in (k_model, kk_model):
        model.compile("sgd", ["mse", "categorical_crossentropy"], metrics=metrics)
    kwargs = {"epochs": 1, "batch_size": 8, "shuffle": False, "verbose": 0}
    ours = kk_model.fit(x, [y_a, y_b], **kwargs).history
    theirs = k_model.fit(x, [y_a, y_b], **kwargs).history
    assert set(ours) == set(theirs) == {"loss", "out_a_loss", "out_b_loss", "out_a_mae",
                                        "out_b_accuracy", "out_b_mse"}
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, err_msg=key)


def _accuracy_case(kind):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(30, 4)).astype("float32")
    if kind == "binary":
        return x, rng.integers(0, 2, size=(30, 1)).astype("float32"), 1, "sigmoid", "bce"
    labels = rng.integers(0, 3, size=(30,))
    if kind == "categorical":
        return x, np.eye(3, dtype="float32")[labels], 3, "softmax", "categorical_crossentropy"
    if kind == "sparse_column":
        return x, labels[:, None], 3, "softmax", "sparse_categorical_crossentropy"
    return x, labels, 3, "softmax", "sparse_categorical_crossentropy"


@pytest.mark.parametrize("kind", ["binary", "categorical", "sparse", "sparse_column"])
@pytest.mark.parametrize("name", ["accuracy", "acc"])
def test_accuracy_resolves_by_shapes_like_keras(kind, name):  # 45-48
    x, y, units, activation, loss = _accuracy_case(kind)
    k_model = _mlp(keras, units, activation)
    kk_model = _mlp(kk, units, activation)
    kk_model.set_weights(k_model.get_weights())
    k_model.compile("sgd", loss, metrics=[name])
    kk_model.compile("sgd", loss, metrics=[name])
    ours = kk_model.evaluate(x, y, verbose=0, return_dict=True)
    theirs = k_model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(ours) == set(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, err_msg=key)


@pytest.mark.parametrize("kind, cls", [
    ("binary", "BinaryCrossentropy"), ("categorical", "CategoricalCrossentropy"),
    ("sparse", "SparseCategoricalCrossentropy"),
    ("sparse_column", "SparseCategoricalCrossentropy")])
@pytest.mark.parametrize("name", ["crossentropy", "ce"])
def test_crossentropy_metric_resolves_by_shapes(kind, cls, name):  # 48
    # Keras 3 dropped 'crossentropy'/'ce' as metric names; kernelkit keeps the Keras 2 rule,
    # checked against the Keras metric class it resolves to.
    x, y, units, activation, loss = _accuracy_case(kind)
    model = _mlp(kk, units, activation)
    model.compile("sgd", loss, metrics=[name])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert type(model.metrics[-1]).__name__ == cls
    oracle = getattr(keras.metrics, cls)()
    oracle.update_state(y, model.predict(x, verbose=0))
    np.testing.assert_allclose(logs[name], float(oracle.result()), rtol=1e-5)


def test_accuracy_kinds_by_hand():  # 45, 46, 47
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], "float32")
    model = kk.Sequential([kk.Input((2,)), layers.Lambda(lambda v: v)])
    model.compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    onehot = np.array([[1, 0], [1, 0], [0, 1]], "float32")
    assert model.evaluate(probs, onehot, verbose=0, return_dict=True)["accuracy"] == \
        pytest.approx(1 / 3)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    assert model.evaluate(probs, np.array([0, 1, 1]), verbose=0,
                          return_dict=True)["accuracy"] == pytest.approx(2 / 3)
    binary = kk.Sequential([kk.Input((1,)), layers.Lambda(lambda v: v)])
    binary.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    scores = np.array([[0.4], [0.6], [0.51], [0.1]], "float32")
    labels = np.array([[0], [1], [0], [1]], "float32")
    assert binary.evaluate(scores, labels, verbose=0, return_dict=True)["accuracy"] == \
        pytest.approx(0.5)


def test_metrics_ignore_sample_weight_and_weighted_metrics_apply_it():  # 49
    model = kk.Sequential([kk.Input((1,)), layers.Lambda(lambda v: v)])
    model.compile("sgd", "mse", metrics=["mae"], weighted_metrics=["mae"])
    x = np.array([[1.0], [3.0]], "float32")
    y = np.zeros((2, 1), "float32")
    logs = model.evaluate(x, y, sample_weight=np.array([1.0, 0.0], "float32"), verbose=0,
                          return_dict=True)
    assert logs["mae"] == pytest.approx(2.0)
    assert logs["weighted_mae"] == pytest.approx(1.0)
    k_model = keras.Sequential([keras.Input((1,)), keras.layers.Lambda(lambda v: v)])
    k_model.compile("sgd", "mse", metrics=["mae"], weighted_metrics=["mae"])
    theirs = k_model.evaluate(x, y, sample_weight=np.array([1.0, 0.0], "float32"), verbose=0,
                              return_dict=True)
    assert set(logs) == set(theirs)


def test_weighted_metrics_use_class_weight_in_training():  # 50
    x = np.array([[1.0], [3.0]], "float32")
    y = np.array([[0.0], [1.0]], "float32")

    class Frozen(layers.Layer):
        def call(self, inputs):
            return inputs * 0.0 + 0.25

    def run(lib, frozen):
        model = lib.Sequential([lib.Input((1,)), frozen])
        model.compile("sgd", "mse", metrics=["mae"], weighted_metrics=["mae"])
        return model.fit(x, y, class_weight={0: 1.0, 1: 0.0}, batch_size=2, epochs=1,
                         verbose=0).history

    ours = run(kk, Frozen())
    assert ours["mae"] == [pytest.approx(0.5)]  # (0.25 + 0.75) / 2
    assert ours["weighted_mae"] == [pytest.approx(0.25)]  # class 1 has weight 0

    class KFrozen(keras.layers.Layer):
        def call(self, inputs):
            return inputs * 0.0 + 0.25

    theirs = run(keras, KFrozen())
    assert set(ours) == set(theirs)
    np.testing.assert_allclose(ours["weighted_mae"], theirs["weighted_mae"], rtol=1e-6)
