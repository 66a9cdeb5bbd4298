"""IoU variants, correlations and rate-at-rate metrics: results, configs and fit vs Keras 3."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import metrics
from tests.keras_oracle import keras

RNG = np.random.default_rng(11)


def _batch(kind):
    if kind == "binary":
        return RNG.integers(0, 2, (8, 1)), RNG.uniform(0, 1, (8, 1)).astype("float32")
    if kind == "multiclass":
        return (np.eye(3, dtype="float32")[RNG.integers(0, 3, 8)],
                RNG.uniform(0, 1, (8, 3)).astype("float32"))
    if kind == "onehot":
        return (np.eye(3, dtype="float32")[RNG.integers(0, 3, 8)],
                RNG.uniform(0, 1, (8, 3)).astype("float32"))
    if kind == "regression":
        y_true = RNG.normal(size=(8, 5)).astype("float32")
        return y_true, (y_true + RNG.normal(size=(8, 5))).astype("float32")
    raise AssertionError(kind)


CASES = [
    ("BinaryIoU", {}, "binary"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary"),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "onehot"),
    ("OneHotMeanIoU", {"num_classes": 3}, "onehot"),
    ("PearsonCorrelation", {}, "regression"),
    ("PearsonCorrelation", {"axis": 0}, "regression"),
    ("ConcordanceCorrelation", {}, "regression"),
    ("SensitivityAtSpecificity", {"specificity": 0.6}, "binary"),
    ("SensitivityAtSpecificity", {"specificity": 0.4, "num_thresholds": 1}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 7}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.5}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.5, "class_id": 1}, "multiclass"),
    ("RecallAtPrecision", {"precision": 0.6, "num_thresholds": 50}, "binary"),
    ("RecallAtPrecision", {"precision": 0.3, "class_id": 2}, "multiclass"),
]
INT_WEIGHTS = {"BinaryIoU", "OneHotIoU", "OneHotMeanIoU"}  # Keras counts IoU in int32


def _ids(case):
    return f"{case[0]}-" + "-".join(f"{k}={v}" for k, v in case[1].items())


def _weights(name, n=8):
    if name in INT_WEIGHTS:
        return RNG.integers(0, 3, n).astype("int32")
    return RNG.uniform(0, 2, n).astype("float32")


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_metric_matches_keras_over_updates_and_reset(case):
    name, kwargs, kind = case
    ours, theirs = getattr(metrics, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    n = 5 if kwargs.get("axis") == 0 else 8  # one weight per value left after the reduction
    batches = [(*_batch(kind), None), (*_batch(kind), _weights(name, n)), (*_batch(kind), None)]
    for y_true, y_pred, weight in batches:
        ours.update_state(y_true, y_pred, sample_weight=weight)
        theirs.update_state(y_true, y_pred, sample_weight=weight)
        _close(ours.result(), theirs.result())
    assert [tuple(v.shape) for v in ours.variables] == [tuple(v.shape) for v in theirs.variables]
    ours.reset_state()
    theirs.reset_state()
    _close(ours.result(), theirs.result())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_config_matches_keras_and_round_trips(case):
    name, kwargs, _ = case
    metric = getattr(metrics, name)(name="my_metric", **kwargs)
    config = metric.get_config()
    keras_config = getattr(keras.metrics, name)(name="my_metric", **kwargs).get_config()
    if name in INT_WEIGHTS:  # Keras's IoU state dtype is "int"; ours is float32
        keras_config.pop("dtype"), config.pop("dtype")
    assert config == keras_config
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == metric.get_config()


FUNCTIONS = ["binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
             "categorical_focal_crossentropy", "categorical_hinge", "concordance_correlation",
             "hinge", "huber", "kl_divergence", "log_cosh", "mean_absolute_error",
             "mean_absolute_percentage_error", "mean_squared_error",
             "mean_squared_logarithmic_error", "pearson_correlation", "poisson",
             "sparse_categorical_crossentropy", "squared_hinge"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_forms_match_keras(name):
    probs = RNG.uniform(0.05, 1.0, (4, 3)).astype("float32")
    probs /= probs.sum(-1, keepdims=True)
    y_true = (RNG.integers(0, 3, (4,)) if name.startswith("sparse")
              else np.eye(3, dtype="float32")[RNG.integers(0, 3, 4)])
    ours = getattr(metrics, name)(y_true, probs)
    theirs = getattr(keras.metrics, name)(y_true, probs)
    assert ours.shape == theirs.shape
    _close(ours, theirs)
    if name not in ("concordance_correlation", "pearson_correlation"):
        assert getattr(metrics, name) is getattr(kk.losses, name)  # as in Keras


@pytest.mark.parametrize("name, kwargs", [
    ("SensitivityAtSpecificity", {"specificity": 1.5}),
    ("SpecificityAtSensitivity", {"sensitivity": -0.1}),
    ("PrecisionAtRecall", {"recall": 2.0}),
    ("RecallAtPrecision", {"precision": 0.5, "num_thresholds": 0}),
])
def test_rate_metrics_reject_bad_arguments_like_keras(name, kwargs):
    with pytest.raises(ValueError, match="Received: "):
        getattr(metrics, name)(**kwargs)
    with pytest.raises(ValueError):
        getattr(keras.metrics, name)(**kwargs)


@pytest.fixture(scope="module")
def binary_data():
    x = RNG.normal(size=(32, 3)).astype("float32")
    return x, (x.sum(-1, keepdims=True) > 0).astype("float32")


def test_new_metrics_train_inside_the_fused_loop(binary_data):
    x, y = binary_data
    model = kk.Sequential([kk.layers.Input((3,)), kk.layers.Dense(1, activation="sigmoid")])
    new = [metrics.BinaryIoU(name="iou"), metrics.PearsonCorrelation(name="pearson"),
           metrics.ConcordanceCorrelation(name="ccc"),
           metrics.SensitivityAtSpecificity(0.5, name="sens"),
           metrics.SpecificityAtSensitivity(0.5, name="spec"),
           metrics.PrecisionAtRecall(0.5, name="par"),
           metrics.RecallAtPrecision(0.5, name="rap")]
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=new)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    for metric in new:
        assert len(history.history[metric.name]) == 2
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    p = np.asarray(model.predict(x, verbose=0))
    for metric in new:
        reference = getattr(keras.metrics, type(metric).__name__)(**{
            k: v for k, v in metric.get_config().items() if k not in ("name", "dtype")})
        reference.update_state(y, p)
        np.testing.assert_allclose(results[metric.name], float(reference.result()),
                                   rtol=1e-4, atol=1e-5)


def test_one_hot_iou_trains_inside_the_fused_loop():
    x = RNG.normal(size=(24, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[RNG.integers(0, 3, 24)]
    model = kk.Sequential([kk.layers.Input((4,)), kk.layers.Dense(3, activation="softmax")])
    model.compile("adam", "categorical_crossentropy",
                  metrics=[metrics.OneHotIoU(3, [0, 1]), metrics.OneHotMeanIoU(3)])
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert {"one_hot_io_u", "one_hot_mean_io_u"} <= set(history.history)
