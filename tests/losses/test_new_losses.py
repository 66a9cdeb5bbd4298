"""Dice, Tversky, Circle and generalized crossentropy: values, masks and configs vs Keras 3."""

import numpy as np
import pytest

from kernelkit import losses
from tests.keras_oracle import keras

RNG = np.random.default_rng(7)
REDUCTIONS = ["sum_over_batch_size", "sum", "mean_with_sample_weight", None]


def _segmentation():
    y_true = RNG.integers(0, 2, (3, 4, 4, 1)).astype("float32")
    return y_true, RNG.uniform(0.0, 1.0, (3, 4, 4, 1)).astype("float32")


def _embeddings():
    x = RNG.normal(size=(6, 4)).astype("float32")
    return RNG.integers(0, 3, (6,)), x / np.linalg.norm(x, axis=1, keepdims=True)


def _probabilities():
    p = RNG.uniform(0.05, 1.0, (5, 3)).astype("float32")
    return RNG.integers(0, 3, (5,)), p / p.sum(-1, keepdims=True)


CASES = [
    ("Dice", {}, _segmentation),
    ("Dice", {"axis": (1, 2, 3)}, _segmentation),
    ("Tversky", {}, _segmentation),
    ("Tversky", {"alpha": 0.7, "beta": 0.3, "axis": (1, 2, 3)}, _segmentation),
    ("Circle", {}, _embeddings),
    ("Circle", {"gamma": 16.0, "margin": 0.25, "remove_diagonal": False}, _embeddings),
    ("CategoricalGeneralizedCrossEntropy", {}, _probabilities),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.8}, _probabilities),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, kwargs, data", CASES)
def test_class_matches_keras(name, kwargs, data, reduction):
    y_true, y_pred = data()
    weights = RNG.uniform(0.0, 2.0, (y_pred.shape[0],)).astype("float32")
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    for sample_weight in (None, weights):
        if "axis" not in kwargs and name in ("Dice", "Tversky") and sample_weight is not None:
            continue  # a scalar loss cannot take per-sample weights (in Keras neither)
        np.testing.assert_allclose(
            np.asarray(ours(y_true, y_pred, sample_weight=sample_weight)),
            np.asarray(theirs(y_true, y_pred, sample_weight=sample_weight)),
            rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name, kwargs, data", CASES)
def test_config_matches_keras_and_round_trips(name, kwargs, data):
    ours = getattr(losses, name)(**kwargs)
    theirs = getattr(keras.losses, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    again = losses.deserialize(losses.serialize(ours))
    assert type(again) is type(ours) and again.get_config() == ours.get_config()


@pytest.mark.parametrize("name, kwargs, data", [
    ("dice", {}, _segmentation),
    ("dice", {"axis": (1, 2)}, _segmentation),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, _segmentation),
    ("circle", {}, _embeddings),
    ("circle", {"gamma": 10, "margin": 0.1}, _embeddings),
    ("categorical_generalized_cross_entropy", {"q": 0.3}, _probabilities),
])
def test_function_matches_keras(name, kwargs, data):
    y_true, y_pred = data()
    ours = getattr(losses, name)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.losses, name)(y_true, y_pred, **kwargs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-5, atol=1e-5)
    assert losses.get(name) is getattr(losses, name)


def test_circle_with_reference_embeddings_matches_keras():
    y_true, y_pred = _embeddings()
    ref_labels, ref = _embeddings()
    kwargs = {"ref_labels": ref_labels, "ref_embeddings": ref, "remove_diagonal": False}
    np.testing.assert_allclose(np.asarray(losses.circle(y_true, y_pred, **kwargs)),
                               np.asarray(keras.losses.circle(y_true, y_pred, **kwargs)),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5])
def test_generalized_crossentropy_rejects_q_outside_the_open_interval(q):
    with pytest.raises(ValueError, match=r"Received: q="):
        losses.CategoricalGeneralizedCrossEntropy(q=q)
    with pytest.raises(ValueError):
        keras.losses.CategoricalGeneralizedCrossEntropy(q=q)


def test_dice_loss_trains_a_segmenter_in_fit():
    import kernelkit as kk

    x = RNG.normal(size=(16, 4, 4, 1)).astype("float32")
    y = (x > 0).astype("float32")
    model = kk.Sequential([kk.layers.Input((4, 4, 1)),
                           kk.layers.Conv2D(1, 1, activation="sigmoid")])
    model.compile(optimizer=kk.optimizers.Adam(0.1), loss=losses.Dice(axis=(1, 2, 3)))
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
