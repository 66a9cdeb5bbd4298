"""Metrics: differential tests against Keras 3, the pure jit-able core, lookup, config, errors."""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from kernelkit import metrics
from kernelkit.registry import deserialize, serialize

RNG = np.random.default_rng(1)


def _probs(shape):
    x = RNG.uniform(0.05, 1.0, shape).astype("float32")
    return x / x.sum(-1, keepdims=True)


def _batch(kind, n=6, c=3):
    if kind == "regression":
        return RNG.normal(size=(n, c)).astype("float32"), RNG.normal(size=(n, c)).astype("float32")
    if kind == "positive":
        return (RNG.uniform(0.1, 2, (n, c)).astype("float32"),
                RNG.uniform(0.1, 2, (n, c)).astype("float32"))
    if kind == "binary":
        return (RNG.integers(0, 2, (n, c)).astype("float32"),
                RNG.uniform(0, 1, (n, c)).astype("float32"))
    if kind == "binary_col":
        return RNG.integers(0, 2, (n, 1)), RNG.uniform(0, 1, (n, 1)).astype("float32")
    if kind == "logits":
        labels = RNG.integers(0, 2, (n, c)).astype("float32")
        return labels, RNG.normal(size=(n, c)).astype("float32")
    if kind == "categorical":
        return np.eye(c, dtype="float32")[RNG.integers(0, c, n)], _probs((n, c))
    if kind == "categorical5":
        return np.eye(5, dtype="float32")[RNG.integers(0, 5, n)], _probs((n, 5))
    if kind == "sparse":
        return RNG.integers(0, c, n), _probs((n, c))
    if kind == "sparse5":
        return RNG.integers(0, 5, (n, 1)), _probs((n, 5))
    if kind == "exact":
        return RNG.integers(0, 3, (n, 1)), RNG.integers(0, 3, (n, 1))
    if kind == "hinge":
        labels = RNG.choice([-1.0, 1.0], (n, c)).astype("float32")
        return labels, RNG.normal(size=(n, c)).astype("float32")
    if kind == "labels":
        return RNG.integers(0, 3, n).astype("int32"), RNG.integers(0, 3, n).astype("int32")
    if kind == "onehot_scores":
        return np.eye(c, dtype="float32")[RNG.integers(0, c, n)], RNG.uniform(size=(n, c))
    raise AssertionError(kind)


# (class name, kwargs, data kind, integer weights only); Keras has the same class names.
CASES = [
    ("MeanSquaredError", {}, "regression"), ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"), ("RootMeanSquaredError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"), ("LogCoshError", {}, "regression"),
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"num_regressors": 2}, "regression"),
    ("Accuracy", {}, "exact"), ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary_col"),
    ("CategoricalAccuracy", {}, "categorical"), ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse5"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical5"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse5"),
    ("SparseTopKCategoricalAccuracy", {}, "sparse5"),
    ("AUC", {}, "binary"), ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "binary"),
    ("AUC", {"curve": "PRGAIN"}, "binary"),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {"multi_label": True}, "binary"),
    ("AUC", {"multi_label": True, "num_labels": 3, "label_weights": [0.2, 0.5, 0.3]}, "binary"),
    ("AUC", {"label_weights": [0.2, 0.5, 0.3]}, "binary"),
    ("AUC", {"thresholds": [0.1, 0.5, 0.7]}, "binary"),
    ("Precision", {}, "binary"), ("Precision", {"thresholds": [0.2, 0.6]}, "binary"),
    ("Precision", {"top_k": 2}, "binary"), ("Precision", {"class_id": 1}, "binary"),
    ("Recall", {}, "binary"), ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "binary"),
    ("Recall", {"top_k": 1, "class_id": 2}, "binary"),
    ("TruePositives", {}, "binary"), ("TrueNegatives", {"thresholds": [0.3, 0.8]}, "binary"),
    ("FalsePositives", {}, "binary"), ("FalseNegatives", {}, "binary_col"),
    ("F1Score", {}, "onehot_scores"), ("F1Score", {"average": "micro"}, "onehot_scores"),
    ("F1Score", {"average": "macro", "threshold": 0.5}, "binary"),
    ("F1Score", {"average": "weighted", "threshold": 0.4}, "binary"),
    ("FBetaScore", {"beta": 2.0, "average": "macro"}, "onehot_scores"),
    ("MeanIoU", {"num_classes": 3}, "labels"),
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "labels"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse5"),
    ("KLDivergence", {}, "categorical"), ("Poisson", {}, "positive"),
    ("Hinge", {}, "hinge"), ("SquaredHinge", {}, "binary"), ("CategoricalHinge", {}, "categorical"),
]
INT_WEIGHTS = {"MeanIoU", "IoU"}  # Keras accumulates IoU in int32 and truncates float weights.


def _ids(case):
    name, kwargs, kind = case
    return f"{name}-{kind}-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


def _weights(name):
    if name in INT_WEIGHTS:
        return RNG.integers(0, 3, 6).astype("int32")
    return RNG.uniform(0, 2, 6).astype("float32")


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-6)


@pytest.mark.filterwarnings("ignore:.*(regressors|predictors).*:UserWarning")
@pytest.mark.filterwarnings("ignore:Explicitly requested dtype int64:UserWarning")
@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_metric_matches_keras_over_updates_and_reset(case):
    name, kwargs, kind = case
    kk, ke = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    batches = [(*_batch(kind), None), (*_batch(kind), _weights(name))]
    for y_true, y_pred, weight in batches:
        kk.update_state(y_true, y_pred, sample_weight=weight)
        ke.update_state(y_true, y_pred, sample_weight=weight)
        _close(kk.result(), ke.result())
    assert len(kk.variables) == len(ke.variables)
    for ours, theirs in zip(kk.variables, ke.variables):
        assert ours.shape == tuple(theirs.shape)
    kk.reset_state()
    ke.reset_state()
    _close(kk.result(), ke.result())
    y_true, y_pred, _ = batches[1]
    kk.update_state(y_true, y_pred)
    ke.update_state(y_true, y_pred)
    _close(kk.result(), ke.result())


def test_mean_and_sum_match_keras_with_temporal_weights():
    values = RNG.normal(size=(4, 5, 2)).astype("float32")
    for weight in (None, RNG.uniform(size=(4,)), RNG.uniform(size=(4, 5)), 0.5):
        for name in ("Mean", "Sum"):
            kk, ke = getattr(metrics, name)(), getattr(keras.metrics, name)()
            for _ in range(2):
                kk.update_state(values, sample_weight=weight)
                ke.update_state(values, sample_weight=weight)
            _close(kk.result(), ke.result())


def test_mean_metric_wrapper_temporal_weights_match_keras():
    y_true, y_pred = RNG.normal(size=(4, 5, 3)), RNG.normal(size=(4, 5, 3))
    weight = RNG.uniform(size=(4, 5))
    kk = metrics.MeanMetricWrapper(lambda t, p: jnp.abs(t - p).mean(-1))
    ke = keras.metrics.MeanMetricWrapper(lambda t, p: keras.ops.abs(t - p).mean(-1))
    kk.update_state(y_true, y_pred, sample_weight=weight)
    ke.update_state(y_true, y_pred, sample_weight=weight)
    _close(kk.result(), ke.result())


def test_iou_honours_fractional_weights():
    # Keras 3.15 truncates float weights to int32 here; the documented values are these.
    m = metrics.MeanIoU(num_classes=2)
    m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[0.3, 0.3, 0.3, 0.1])
    cm = np.array([[0.3, 0.3], [0.3, 0.1]])
    tp = np.diag(cm)
    expected = np.mean(tp / (cm.sum(0) + cm.sum(1) - tp))
    assert float(m.result()) == pytest.approx(expected, rel=1e-5)


JIT_CASES = [("Mean", {}, None), ("Sum", {}, None), ("AUC", {}, "binary"),
             ("AUC", {"multi_label": True, "curve": "PR"}, "binary"),
             ("Precision", {"thresholds": [0.3, 0.6]}, "binary"), ("Recall", {}, "binary"),
             ("F1Score", {"average": "macro"}, "onehot_scores"), ("R2Score", {}, "regression"),
             ("MeanIoU", {"num_classes": 3}, "labels"),
             ("SparseCategoricalAccuracy", {}, "sparse"),
             ("SparseCategoricalCrossentropy", {}, "sparse"),
             ("RootMeanSquaredError", {}, "regression"), ("TruePositives", {}, "binary")]


@pytest.mark.parametrize("name,kwargs,kind", JIT_CASES, ids=[c[0] for c in JIT_CASES])
def test_pure_update_and_compute_under_jit_equal_the_stateful_api(name, kwargs, kind):
    metric = getattr(metrics, name)(**kwargs)
    stateful = getattr(metrics, name)(**kwargs)
    batches = []
    for i in range(3):
        args = (RNG.normal(size=(6,)),) if kind is None else _batch(kind)
        batches.append((args, RNG.uniform(size=6).astype("float32") if i == 1 else None))
    if not metric.built:
        metric.build(*(np.shape(a) for a in batches[0][0]))
    update, compute = jax.jit(metric.update), jax.jit(metric.compute)
    state = metric.init_state()
    for args, weight in batches:
        state = update(state, *args, sample_weight=weight)
        stateful.update_state(*args, sample_weight=weight)
    assert jax.tree.structure(state) == jax.tree.structure(stateful.state)
    _close(compute(state), stateful.result())
    assert metric.stateless_result(list(state.values())).shape == np.shape(stateful.result())
    _close(metric.stateless_result(metric.stateless_update_state(
        metric.stateless_reset_state(), *batches[0][0])), getattr(metrics, name)(**kwargs)(
        *batches[0][0]))


def test_metric_state_threads_through_lax_scan():
    metric = metrics.SparseCategoricalAccuracy()
    labels = jnp.asarray(RNG.integers(0, 3, (4, 5)))
    scores = jnp.asarray(RNG.normal(size=(4, 5, 3)))

    def step(state, batch):
        return metric.update(state, *batch), None

    state, _ = jax.lax.scan(step, metric.init_state(), (labels, scores))
    expected = np.mean(np.argmax(np.asarray(scores), -1) == np.asarray(labels))
    assert float(metric.compute(state)) == pytest.approx(expected)


def test_user_function_becomes_a_metric_named_after_it():
    def abs_gap(y_true, y_pred):
        return jnp.abs(y_true - y_pred)

    metric = metrics.get(abs_gap)
    assert isinstance(metric, metrics.MeanMetricWrapper) and metric.name == "abs_gap"
    metric.update_state(jnp.zeros(4), jnp.arange(4.0))
    assert float(metric.result()) == pytest.approx(1.5)


def test_get_resolves_like_keras():
    assert metrics.get(None) is None
    for name in ("mae", "MAE", "mean_absolute_error", "MeanAbsoluteError", "auc", "AUC",
                 "f1_score", "r2_score", "mean_io_u", "accuracy", "bce", "precision",
                 "sparse_top_k_categorical_accuracy", "log_cosh_error"):
        ke = keras.metrics.get(name) if name != "mean_io_u" else keras.metrics.MeanIoU
        ours = metrics.get(name) if name != "mean_io_u" else metrics.lookup.ALL_OBJECTS[name]
        assert type(ours).__name__ == type(ke).__name__ or ours.__name__ == ke.__name__
    instance = metrics.Precision()
    assert metrics.get(instance) is instance
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    from_dict = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.3}})
    assert from_dict.threshold == 0.3
    keras_dict = keras.saving.serialize_keras_object(keras.metrics.AUC(curve="PR"))
    assert metrics.get(keras_dict).curve == "PR"


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown metric 'acuracy'.*'accuracy'"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="could not interpret"):
        metrics.get(3)


@pytest.mark.parametrize("y_true_shape,y_pred_shape", [
    ((8, 1), (8, 1)), ((8,), (8, 1)), ((8,), (8, 5)), ((8, 1), (8, 5)), ((8, 5), (8, 5)),
    ((8, 4, 1), (8, 4, 5)),
])
def test_resolve_accuracy_and_crossentropy_follow_keras_rule(y_true_shape, y_pred_shape):
    from keras.src.trainers.compile_utils import get_metric

    for name in ("accuracy", "acc"):
        ours = metrics.resolve_metric(name, y_true_shape, y_pred_shape)
        ke = get_metric(name, np.zeros(y_true_shape), np.zeros(y_pred_shape))
        assert type(ours).__name__ == type(ke).__name__ and ours.name == ke.name == name
    ce = metrics.resolve_metric("ce", y_true_shape, y_pred_shape)
    expected = type(metrics.resolve_accuracy("a", y_true_shape, y_pred_shape)).__name__
    assert type(ce).__name__ == expected.replace("Accuracy", "Crossentropy") and ce.name == "ce"
    named = metrics.resolve_metric("mse", y_true_shape, y_pred_shape)
    assert isinstance(named, metrics.MeanSquaredError) and named.name == "mse"


def test_resolve_accuracy_uses_the_loss_when_given():
    assert isinstance(metrics.resolve_accuracy("acc", (8, 5), (8, 5), loss="binary_crossentropy"),
                      metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy("acc", (8, 5), (8, 5), loss="mse"),
                      metrics.CategoricalAccuracy)
    from kernelkit import losses

    assert isinstance(metrics.resolve_accuracy("acc", (8, 1), (8, 5),
                                               loss=losses.SparseCategoricalCrossentropy()),
                      metrics.SparseCategoricalAccuracy)
    with pytest.raises(ValueError, match="got None"):
        metrics.resolve_metric(None, (8,), (8, 1))


CONFIG_CASES = [c for c in CASES if c[0] not in ("R2Score",)] + [("R2Score", {}, "regression")]


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[_ids(c) for c in CONFIG_CASES])
def test_config_round_trip_and_keras_compatibility(case):
    name, kwargs, _ = case
    metric = getattr(metrics, name)(name="my_metric", **kwargs)
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config
    again = deserialize(serialize(metric), module="keras.metrics")
    assert type(again) is type(metric) and again.get_config() == config
    keras_config = getattr(keras.metrics, name)(name="my_metric", **kwargs).get_config()
    if name in INT_WEIGHTS:
        keras_config.pop("dtype")
    if keras_config.get("label_weights") is not None:
        np.testing.assert_allclose(config["label_weights"], keras_config.pop("label_weights"))
    assert {k: config[k] for k in keras_config} == keras_config


def test_mean_metric_wrapper_config_round_trip():
    from kernelkit import losses

    wrapper = metrics.MeanMetricWrapper(losses.huber, name="hub", delta=0.5)
    config = wrapper.get_config()
    assert config["fn"] == "huber" and config["delta"] == 0.5
    clone = metrics.MeanMetricWrapper.from_config(config)
    y_true, y_pred = _batch("regression")
    clone.update_state(y_true, y_pred)
    _close(clone.result(), np.mean(np.asarray(losses.huber(y_true, y_pred, delta=0.5))))


def test_names_default_and_unique():
    assert metrics.Mean().name == "mean"
    assert metrics.AUC().name == "auc"
    assert metrics.AUC().name == "auc_1"
    assert metrics.MeanMetricWrapper(lambda t, p: t).name == "mean_metric_wrapper"
    assert metrics.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy"


def test_metric_errors():
    with pytest.raises(ValueError, match=r"threshold values must be in \[0, 1\]"):
        metrics.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="invalid curve"):
        metrics.AUC(curve="XY")
    with pytest.raises(ValueError, match="invalid summation_method"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="num_thresholds > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="num_labels is only used with multi_label"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match="multi_label=True needs 2-D"):
        metrics.AUC(multi_label=True).update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="class_id needs class scores"):
        metrics.Precision(class_id=1).update_state(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="invalid average"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="invalid beta"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="invalid threshold"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expected 2-D inputs"):
        metrics.F1Score().update_state(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="invalid class_aggregation"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="invalid num_regressors"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="expected 2-D inputs"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="target class id is out of range"):
        metrics.IoU(num_classes=2, target_class_ids=[2])
    with pytest.raises(RuntimeError, match="is not built"):
        metrics.F1Score().init_state()
    with pytest.raises(NotImplementedError, match="update\\(\\) is not implemented"):
        metrics.Metric().update_state(1.0)
    with pytest.raises(NotImplementedError, match="compute\\(\\) is not implemented"):
        metrics.Metric().result()
    with pytest.raises(ValueError, match="label is out of range"):
        metrics.SparseCategoricalCrossentropy().update_state(np.array([0, 5]), _probs((2, 3)))


def test_adjusted_r2_falls_back_with_a_warning():
    metric = metrics.R2Score(num_regressors=5)
    y_true, y_pred = _batch("regression", n=3, c=1)
    metric.update_state(y_true, y_pred)
    with pytest.warns(UserWarning, match="more regressors than data points"):
        value = metric.result()
    plain = metrics.R2Score()
    plain.update_state(y_true, y_pred)
    _close(value, plain.result())
