"""Losses: differential tests against Keras 3, reductions, sample weights, lookup, errors."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from kernelkit import losses
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import deserialize, serialize

RNG = np.random.default_rng(0)
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]


def _probs(shape):
    x = RNG.uniform(0.05, 1.0, shape).astype("float32")
    return x / x.sum(-1, keepdims=True)


def _data(kind, shape=(4, 3)):
    n, c = shape[0], shape[-1]
    if kind == "regression":
        return RNG.normal(size=shape).astype("float32"), RNG.normal(size=shape).astype("float32")
    if kind == "positive":
        return (RNG.uniform(0.1, 2.0, shape).astype("float32"),
                RNG.uniform(0.1, 2.0, shape).astype("float32"))
    if kind == "binary":
        return (RNG.integers(0, 2, shape).astype("float32"),
                RNG.uniform(0.01, 0.99, shape).astype("float32"))
    if kind == "logits":
        return RNG.integers(0, 2, shape).astype("float32"), RNG.normal(size=shape).astype("float32")
    if kind == "categorical":
        return np.eye(c, dtype="float32")[RNG.integers(0, c, shape[:-1])], _probs(shape)
    if kind == "sparse":
        return RNG.integers(0, c, shape[:-1]), _probs(shape)
    if kind == "sparse_col":
        return RNG.integers(0, c, (n, 1)), _probs(shape)
    if kind == "hinge":
        return (RNG.choice([-1.0, 1.0], shape).astype("float32"),
                RNG.normal(size=shape).astype("float32"))
    raise AssertionError(kind)


# (kernelkit class name, constructor kwargs, data kind); Keras has the same class names.
CASES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "regression"),
    ("CosineSimilarity", {"axis": 0}, "regression"),
    ("Huber", {}, "regression"),
    ("Huber", {"delta": 0.3}, "regression"),
    ("LogCosh", {}, "regression"),
    ("KLDivergence", {}, "categorical"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "logits"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": 0}, "logits"),
    ("BinaryFocalCrossentropy", {}, "binary"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 3.0,
                                 "from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": 0},
     "categorical"),
    ("CategoricalFocalCrossentropy", {}, "categorical"),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0, "from_logits": True,
                                      "label_smoothing": 0.1}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {}, "sparse_col"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse"),
    ("Hinge", {}, "hinge"),
    ("Hinge", {}, "binary"),
    ("SquaredHinge", {}, "hinge"),
    ("SquaredHinge", {}, "binary"),
    ("CategoricalHinge", {}, "categorical"),
]


def _ids(case):
    name, kwargs, kind = case
    return f"{name}-{kind}-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_loss_matches_keras_for_every_reduction_and_weighting(case):
    name, kwargs, kind = case
    y_true, y_pred = _data(kind)
    per_sample = getattr(keras.losses, name)(reduction="none", **kwargs)(y_true, y_pred)
    weight = RNG.uniform(0.0, 2.0, per_sample.shape).astype("float32")
    for reduction in REDUCTIONS:
        kk = getattr(losses, name)(reduction=reduction, **kwargs)
        ke = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        for sample_weight in (None, weight):
            expected = np.asarray(ke(y_true, y_pred, sample_weight=sample_weight))
            got = np.asarray(kk(y_true, y_pred, sample_weight=sample_weight))
            assert got.shape == expected.shape
            np.testing.assert_allclose(got, expected, rtol=2e-5, atol=2e-6,
                                       err_msg=f"{reduction=}, {sample_weight=}")


@pytest.mark.parametrize("name,kind", [("MeanSquaredError", "regression"),
                                       ("SparseCategoricalCrossentropy", "sparse"),
                                       ("CategoricalCrossentropy", "categorical"),
                                       ("BinaryCrossentropy", "binary")])
def test_temporal_sample_weights_match_keras(name, kind):
    y_true, y_pred = _data(kind, (3, 5, 4))
    weight = RNG.uniform(0.0, 2.0, (3, 5)).astype("float32")
    for reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight", "none"):
        kk = getattr(losses, name)(reduction=reduction)
        ke = getattr(keras.losses, name)(reduction=reduction)
        np.testing.assert_allclose(np.asarray(kk(y_true, y_pred, sample_weight=weight)),
                                   np.asarray(ke(y_true, y_pred, sample_weight=weight)),
                                   rtol=2e-5, atol=2e-6)


def test_sum_over_batch_size_divides_by_element_count_not_weight_sum():
    loss = losses.MeanAbsoluteError()
    value = loss(np.zeros((4, 1)), np.ones((4, 1)), sample_weight=np.array([1.0, 1.0, 0, 0]))
    assert float(value) == pytest.approx(0.5)  # (1 + 1) / 4, not (1 + 1) / 2


FUNCTIONS = [
    ("mean_squared_error", {}, "regression"), ("mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", {}, "regression"),
    ("mean_squared_logarithmic_error", {}, "positive"),
    ("cosine_similarity", {"axis": -1}, "regression"), ("huber", {"delta": 0.5}, "regression"),
    ("log_cosh", {}, "regression"), ("kl_divergence", {}, "categorical"),
    ("poisson", {}, "positive"), ("binary_crossentropy", {"from_logits": True}, "logits"),
    ("binary_focal_crossentropy", {"gamma": 1.5}, "binary"),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, "categorical"),
    ("categorical_focal_crossentropy", {}, "categorical"),
    ("sparse_categorical_crossentropy", {"from_logits": True}, "sparse"),
    ("hinge", {}, "hinge"), ("squared_hinge", {}, "binary"),
    ("categorical_hinge", {}, "categorical"),
]


@pytest.mark.parametrize("name,kwargs,kind", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_loss_functions_match_keras(name, kwargs, kind):
    y_true, y_pred = _data(kind)
    np.testing.assert_allclose(np.asarray(getattr(losses, name)(y_true, y_pred, **kwargs)),
                               np.asarray(getattr(keras.losses, name)(y_true, y_pred, **kwargs)),
                               rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight",
                                       "none"])
def test_sparse_ignore_class_matches_keras(reduction):
    y_true = np.array([0, 1, 2, 1, 2])
    y_pred = _probs((5, 3))
    weight = np.array([1.0, 0.5, 2.0, 1.0, 1.0], "float32")
    kk = losses.SparseCategoricalCrossentropy(ignore_class=2, reduction=reduction)
    ke = keras.losses.SparseCategoricalCrossentropy(ignore_class=2, reduction=reduction)
    for sample_weight in (None, weight):
        np.testing.assert_allclose(np.asarray(kk(y_true, y_pred, sample_weight=sample_weight)),
                                   np.asarray(ke(y_true, y_pred, sample_weight=sample_weight)),
                                   rtol=2e-5, atol=2e-6)


def test_ctc_matches_keras():
    y_true = np.array([[1, 2, 0], [2, 2, 1], [1, 0, 0]], "int32")
    y_pred = RNG.normal(size=(3, 6, 4)).astype("float32")
    weight = np.array([1.0, 0.5, 2.0], "float32")
    expected = np.asarray(keras.losses.CTC(reduction="none")(y_true, y_pred))
    np.testing.assert_allclose(np.asarray(losses.CTC(reduction="none")(y_true, y_pred)),
                               expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(float(losses.CTC()(y_true, y_pred, sample_weight=weight)),
                               float(np.mean(expected * weight)), rtol=1e-4)


def test_losses_work_under_jit_and_grad():
    y_true, y_pred = _data("categorical")
    loss = losses.CategoricalCrossentropy(from_logits=True)
    eager = loss(y_true, y_pred)
    jitted = jax.jit(lambda t, p: loss(t, p))(y_true, y_pred)
    np.testing.assert_allclose(np.asarray(jitted), np.asarray(eager), rtol=1e-6)
    grad = jax.grad(lambda p: loss(y_true, p))(jnp.asarray(y_pred))
    np.testing.assert_allclose(np.asarray(grad), (jax.nn.softmax(y_pred) - y_true) / 4, atol=1e-6)
    labels = jnp.array([0, 1, 2, 1])
    traced = jax.jit(lambda t, p: losses.SparseCategoricalCrossentropy()(t, p))(labels, y_pred)
    assert np.isfinite(float(traced))


@pytest.mark.parametrize("labels", [[0, 3, 1, 2], [-1, 0, 1, 2]])
def test_sparse_labels_out_of_range_raise_in_eager_calls(labels):
    with pytest.raises(ValueError, match=r"label is out of range.*\[0, 3\)"):
        losses.SparseCategoricalCrossentropy()(np.array(labels), _probs((4, 3)))
    with pytest.raises(ValueError, match="out of range"):
        losses.sparse_categorical_crossentropy(np.array(labels), _probs((4, 3)))


def test_sparse_ignore_class_may_lie_outside_the_range():
    value = losses.SparseCategoricalCrossentropy(ignore_class=-1)(np.array([-1, 0, 1, 2]),
                                                                 _probs((4, 3)))
    assert np.isfinite(float(value))


def test_sparse_label_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"y_true does not match y_pred.*int\d+\[4, 2\]"):
        losses.sparse_categorical_crossentropy(np.zeros((4, 2), "int64"), _probs((4, 3)))


def test_crossentropy_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"different shapes.*float32\[4, 2\]"):
        losses.categorical_crossentropy(np.zeros((4, 2), "float32"), _probs((4, 3)))
    with pytest.raises(ValueError, match="different shapes"):
        losses.binary_crossentropy(np.zeros((4, 2), "float32"), _probs((4, 3)))


def test_crossentropy_axis_must_be_int():
    with pytest.raises(ValueError, match="axis must be an int"):
        losses.categorical_crossentropy(*_data("categorical"), axis=True)


def test_ctc_rank_errors():
    with pytest.raises(ValueError, match="targets have the wrong rank"):
        losses.ctc(np.zeros((3,)), np.zeros((3, 4, 2)))
    with pytest.raises(ValueError, match="logits have the wrong rank"):
        losses.ctc(np.zeros((3, 2)), np.zeros((3, 4)))


def test_invalid_reduction_raises():
    with pytest.raises(ValueError, match="unknown reduction.*'average'"):
        losses.MeanSquaredError(reduction="average")


def test_base_loss_call_not_implemented():
    with pytest.raises(NotImplementedError, match="call\\(\\) is not implemented"):
        losses.Loss()(np.zeros(2), np.zeros(2))


def test_custom_loss_subclass_and_names():
    class Squares(losses.Loss):
        def call(self, y_true, y_pred):
            return jnp.mean((y_true - y_pred) ** 2, axis=-1)

    assert Squares().name == "squares"
    assert Squares().name == "squares_1"
    assert float(Squares(reduction="sum")(np.ones((2, 2)), np.zeros((2, 2)))) == 2.0
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_config_round_trip_and_keras_compatibility(case):
    name, kwargs, _ = case
    loss = getattr(losses, name)(reduction="sum", name="my_loss", **kwargs)
    config = loss.get_config()
    clone = type(loss).from_config(config)
    assert clone.get_config() == config
    again = deserialize(serialize(loss), module="keras.losses")
    assert type(again) is type(loss) and again.get_config() == config
    keras_config = getattr(keras.losses, name)(reduction="sum", name="my_loss",
                                               **kwargs).get_config()
    assert {k: config[k] for k in keras_config} == keras_config
    assert getattr(keras.losses, name).from_config(config).get_config() == keras_config


def test_loss_function_wrapper_config_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="wrapped", delta=0.5)
    config = wrapper.get_config()
    assert config["fn"] == "huber" and config["delta"] == 0.5
    clone = losses.LossFunctionWrapper.from_config(config)
    assert clone.fn is losses.huber
    y_true, y_pred = _data("regression")
    np.testing.assert_allclose(np.asarray(clone(y_true, y_pred)),
                               np.asarray(keras.losses.Huber(delta=0.5)(y_true, y_pred)),
                               rtol=1e-6)


def test_get_resolves_names_classes_instances_dicts_and_callables():
    assert losses.get(None) is None
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MSE") is losses.mean_squared_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert losses.get("kld") is losses.kl_divergence
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    instance = losses.Poisson()
    assert losses.get(instance) is instance
    from_dict = losses.get({"class_name": "CategoricalCrossentropy",
                            "config": {"from_logits": True}})
    assert from_dict.from_logits is True
    keras_dict = keras.saving.serialize_keras_object(keras.losses.Huber(delta=2.0))
    assert isinstance(losses.get(keras_dict), losses.Huber)

    def my_loss(y_true, y_pred):
        return y_pred - y_true

    assert losses.get(my_loss) is my_loss


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown loss 'msqe'.*'mean_squared_error'"):
        losses.get("msqe")
    with pytest.raises(ValueError, match="could not interpret"):
        losses.get(42)
    with pytest.raises(UnsafeModelError, match="not a registered"):
        losses.get({"class_name": "NoSuchLoss", "config": {}})


@pytest.mark.parametrize("y_true_shape,y_pred_shape,expected", [
    ((8, 1), (8, 1), "binary_crossentropy"),
    ((8,), (8, 1), "binary_crossentropy"),
    ((8,), (8, 5), "sparse_categorical_crossentropy"),
    ((8, 1), (8, 5), "sparse_categorical_crossentropy"),
    ((8, 5), (8, 5), "categorical_crossentropy"),
])
def test_resolve_loss_crossentropy_follows_keras_rule(y_true_shape, y_pred_shape, expected):
    from keras.src.trainers.compile_utils import get_loss

    for name in ("crossentropy", "CE", "ce"):
        assert losses.resolve_loss(name, y_true_shape, y_pred_shape).__name__ == expected
    ke = get_loss("ce", np.zeros(y_true_shape), np.zeros(y_pred_shape))
    assert ke.fn.__name__ == expected
    assert losses.resolve_loss("mae", y_true_shape, y_pred_shape) is losses.mean_absolute_error
