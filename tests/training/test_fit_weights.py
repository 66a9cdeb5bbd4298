"""`fit()` with `class_weight` and `sample_weight` (catalogue 3.4, statements 90-96)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras


def _classifier(lib=kk, classes=3):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(classes, activation="softmax")])


def _labels(n=60, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 4)).astype("float32"), rng.integers(0, classes, size=(n,))


def _fit(model, x, y, **kwargs):
    return model.fit(x, y, batch_size=20, epochs=2, shuffle=False, verbose=0, **kwargs)


def _same_start(*models):
    for model in models[1:]:
        model.set_weights(models[0].get_weights())


def _assert_weights_close(a, b, **tol):
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(u, v, **(tol or {"rtol": 1e-5, "atol": 1e-7}))


def test_zero_class_weight_removes_a_class_from_training():  # 90
    x, labels = _labels()
    a, b = _classifier(), _classifier()
    _same_start(a, b)
    for m in (a, b):
        m.compile("sgd", "sparse_categorical_crossentropy")
    _fit(a, x, labels, class_weight={0: 1.0, 1: 0.0, 2: 1.0})
    _fit(b, x, labels, sample_weight=(labels != 1).astype("float32"))
    _assert_weights_close(a, b)
    only_ones = labels == 1
    c = _classifier()
    c.compile("sgd", "sparse_categorical_crossentropy")
    c(x[:1])
    before = c.get_weights()
    _fit(c, x[only_ones], labels[only_ones], class_weight={0: 1.0, 1: 0.0})
    for u, v in zip(before, c.get_weights()):  # no gradient from class 1 at all
        np.testing.assert_array_equal(u, v)


def test_class_weight_does_not_change_evaluate():  # 91
    x, labels = _labels()
    model = _classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    history = model.fit(x, labels, class_weight={0: 5.0, 1: 0.1, 2: 1.0}, epochs=1,
                        validation_data=(x, labels), verbose=0)
    plain = model.evaluate(x, labels, verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(plain, rel=1e-5)


@pytest.mark.parametrize("target", ["sparse_column", "one_hot"])
def test_class_weight_with_one_hot_and_sparse_column_targets(target):  # 92
    x, labels = _labels()
    class_weight = {0: 2.0, 1: 0.5, 2: 1.0}
    if target == "one_hot":
        y, loss = np.eye(3, dtype="float32")[labels], "categorical_crossentropy"
    else:
        y, loss = labels[:, None], "sparse_categorical_crossentropy"
    k_model, ours, reference = _classifier(keras), _classifier(), _classifier()
    _same_start(k_model, ours, reference)
    for m in (k_model, ours, reference):
        m.compile("sgd", loss)
    theirs = _fit(k_model, x, y, class_weight=class_weight).history["loss"]
    mine = _fit(ours, x, y, class_weight=class_weight).history["loss"]
    np.testing.assert_allclose(mine, theirs, rtol=1e-4)
    weights = np.array([class_weight[c] for c in labels], "float32")
    _fit(reference, x, y, sample_weight=weights)
    _assert_weights_close(ours, reference)


def test_class_weight_multiplies_sample_weight():  # 50, 90
    x, labels = _labels()
    w = np.linspace(0.5, 1.5, 60).astype("float32")
    a, b = _classifier(), _classifier()
    _same_start(a, b)
    for m in (a, b):
        m.compile("sgd", "sparse_categorical_crossentropy")
    _fit(a, x, labels, sample_weight=w, class_weight={0: 3.0, 1: 1.0, 2: 0.5})
    _fit(b, x, labels, sample_weight=w * np.array([3.0, 1.0, 0.5], "float32")[labels])
    _assert_weights_close(a, b)


def _two_output_model():
    inputs = kk.Input((4,))
    return kk.Model(inputs, [layers.Dense(3, activation="softmax", name="a")(inputs),
                             layers.Dense(1, name="b")(inputs)])


@pytest.mark.parametrize("case, match", [
    ("not_one_hot", r"class_weight with 2-D targets needs one-hot encoded targets"),
    ("unknown_class", r"class_weight names class 7, which does not exist.*0 to 2"),
    ("negative_class", r"class_weight names class -1, which does not exist"),
    ("multi_output", r"class_weight is only supported for models with a single output"),
    ("not_a_dict", r"class_weight must be a dict"),
    ("rank_3", r"class_weight needs targets of shape \(N,\), \(N, 1\) or one-hot"),
])
def test_bad_class_weight_raises_and_leaves_model_untouched(case, match):  # 92
    x, labels = _labels()
    y = labels
    class_weight = {0: 1.0, 1: 2.0, 2: 1.0}
    model = _classifier()
    if case == "not_one_hot":
        y = np.random.default_rng(1).uniform(size=(60, 3)).astype("float32")
        model.compile("sgd", "mse")
    elif case == "multi_output":
        model = _two_output_model()
        model.compile("sgd", ["sparse_categorical_crossentropy", "mse"])
        y = [labels, np.zeros((60, 1), "float32")]
    elif case == "rank_3":
        model = kk.Sequential([kk.Input((4,)), layers.Dense(6), layers.Reshape((2, 3))])
        model.compile("sgd", "categorical_crossentropy")
        y = np.eye(3, dtype="float32")[np.zeros((60, 2), int)]
    else:
        model.compile("sgd", "sparse_categorical_crossentropy")
    if case == "unknown_class":
        class_weight = {0: 1.0, 7: 2.0}
    elif case == "negative_class":
        class_weight = {-1: 1.0}
    elif case == "not_a_dict":
        class_weight = [1.0, 2.0, 1.0]
    model(x[:1])
    before = model.get_weights()
    error = TypeError if case == "not_a_dict" else ValueError
    with pytest.raises(error, match=match):
        model.fit(x, y, class_weight=class_weight, verbose=0)
    for u, v in zip(before, model.get_weights()):
        np.testing.assert_array_equal(u, v)


def test_class_weight_with_a_generator():  # 92 for streamed data
    x, labels = _labels()
    a, b = _classifier(), _classifier()
    _same_start(a, b)
    for m in (a, b):
        m.compile("sgd", "sparse_categorical_crossentropy")
    batches = [(x[i:i + 20], labels[i:i + 20]) for i in range(0, 60, 20)]
    a.fit(iter(batches), class_weight={0: 2.0, 1: 0.0, 2: 1.0}, verbose=0)
    b.fit(x, labels, batch_size=20, shuffle=False, verbose=0,
          sample_weight=np.array([2.0, 0.0, 1.0], "float32")[labels])
    _assert_weights_close(a, b)


def test_sample_weight_reduction_is_sum_over_batch_size():  # 93
    model = kk.Sequential([kk.Input((1,)), layers.Lambda(lambda v: v)])
    model.compile("sgd", "mse")
    x = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    y = np.zeros((4, 1), "float32")
    w = np.array([1.0, 0.0, 2.0, 0.5], "float32")
    got = model.evaluate(x, y, sample_weight=w, batch_size=4, verbose=0)
    assert got == pytest.approx((1 * 1 + 0 * 4 + 2 * 9 + 0.5 * 16) / 4)


def test_sample_weight_in_training_matches_keras():  # 93
    x, labels = _labels()
    w = np.random.default_rng(3).uniform(0.0, 2.0, size=60).astype("float32")
    k_model, ours = _classifier(keras), _classifier()
    _same_start(k_model, ours)
    for m in (k_model, ours):
        m.compile("sgd", "sparse_categorical_crossentropy")
    np.testing.assert_allclose(_fit(ours, x, labels, sample_weight=w).history["loss"],
                               _fit(k_model, x, labels, sample_weight=w).history["loss"],
                               rtol=1e-4)


def test_sample_weight_of_wrong_length_raises_and_leaves_model_untouched():  # 94
    x, labels = _labels()
    model = _classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    model(x[:1])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"sample_weight has 59 entries but x has 60 samples"):
        model.fit(x, labels, sample_weight=np.ones(59, "float32"), verbose=0)
    for u, v in zip(before, model.get_weights()):
        np.testing.assert_array_equal(u, v)


def test_temporal_sample_weight_weights_each_timestep():  # 95, decision 6.15
    rng = np.random.default_rng(4)
    x = rng.normal(size=(8, 5, 2)).astype("float32")
    y = rng.normal(size=(8, 5, 3)).astype("float32")
    w = rng.uniform(size=(8, 5)).astype("float32")
    k_model = keras.Sequential([keras.Input((5, 2)), keras.layers.Dense(3)])
    ours = kk.Sequential([kk.Input((5, 2)), layers.Dense(3)])
    _same_start(k_model, ours)
    for m in (k_model, ours):
        m.compile("sgd", "mse")
    kwargs = {"batch_size": 4, "epochs": 2, "shuffle": False, "verbose": 0,
              "sample_weight": w}
    np.testing.assert_allclose(ours.fit(x, y, **kwargs).history["loss"],
                               k_model.fit(x, y, **kwargs).history["loss"], rtol=1e-4)
    per_step = ((ours.predict(x, verbose=0) - y) ** 2).mean(-1)
    np.testing.assert_allclose(ours.evaluate(x, y, sample_weight=w, batch_size=8, verbose=0),
                               (per_step * w).sum() / w.size, rtol=1e-5)


@pytest.mark.parametrize("argument, match", [
    ("sample_weight", r"`sample_weight` must not be given when `x` yields batches"),
    ("y", r"`y` must not be given when `x` is a generator"),
    ("batch_size", r"`batch_size` must not be given when `x` yields its own batches"),
])
def test_arguments_refused_with_a_generator(argument, match):  # 96, 97
    x, labels = _labels()
    model = _classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    value = {"sample_weight": np.ones(60), "y": labels, "batch_size": 8}[argument]
    with pytest.raises(ValueError, match=match):
        model.fit(iter([(x, labels)]), verbose=0, **{argument: value})
