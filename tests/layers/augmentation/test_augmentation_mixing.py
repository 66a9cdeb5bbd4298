"""Mixing, warping and policy image layers vs Keras 3: MixUp, CutMix, perspective, elastic, RandAugment, AugMix."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(2)
IMAGES = RNG.uniform(0, 255, size=(6, 8, 8, 3)).astype("float32")
LABELS = np.eye(6, dtype="float32")

LAYERS = [
    ("MixUp", {"alpha": 0.4}),
    ("CutMix", {"factor": 0.8}),
    ("RandomPerspective", {"scale": 0.4}),
    ("RandomElasticTransform", {"scale": (0.5, 1.0), "fill_mode": "constant"}),
    ("RandAugment", {"num_ops": 3, "factor": 0.6}),
    ("AugMix", {"num_chains": 2, "chain_depth": 2}),
]


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


@pytest.mark.parametrize(("name", "kwargs"), LAYERS)
def test_inference_path_matches_keras(name, kwargs):
    kk_layer, k_layer = _pair(name, kwargs)
    for x in (IMAGES, IMAGES.astype("uint8")):
        expected = np.asarray(k_layer(x, training=False))
        got = np.asarray(kk_layer(x, training=False))
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("name", "kwargs"), [
    ("RandomPerspective", {"factor": (1.0, 1.0), "scale": 0.0}),
    ("RandomElasticTransform", {"scale": 0.0}),
])
def test_deterministic_settings_match_keras(name, kwargs):
    kk_layer, k_layer = _pair(name, kwargs)
    np.testing.assert_allclose(np.asarray(kk_layer(IMAGES)), np.asarray(k_layer(IMAGES)),
                               atol=1e-3)


@pytest.mark.parametrize(("name", "kwargs"), LAYERS)
def test_random_draws_are_seeded_fresh_and_shaped_like_keras(name, kwargs):
    a = getattr(kk.layers, name)(**kwargs, seed=4)
    b = getattr(kk.layers, name)(**kwargs, seed=4)
    first = np.asarray(a(IMAGES))
    np.testing.assert_array_equal(first, np.asarray(b(IMAGES)))
    assert not np.array_equal(first, np.asarray(a(IMAGES)))
    expected = getattr(keras.layers, name)(**kwargs)(IMAGES)
    assert first.shape == expected.shape and first.dtype == expected.dtype
    assert first.min() >= -1e-3 and first.max() <= 255 + 1e-3


@pytest.mark.parametrize(("name", "kwargs"), LAYERS)
def test_config_keys_and_keras_configs_load(name, kwargs):
    kk_layer, k_layer = _pair(name, {**kwargs, "seed": 2})
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    clone = type(kk_layer).from_config(k_config).get_config()
    for key, value in k_config.items():
        if key not in ("name", "dtype"):
            assert clone[key] == value, key


def test_mix_up_mixes_images_and_labels_with_the_same_weights():
    out = kk.layers.MixUp(alpha=0.5, seed=1)({"images": IMAGES, "labels": LABELS})
    labels, images = np.asarray(out["labels"]), np.asarray(out["images"])
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-5)
    for i in range(len(IMAGES)):
        w = labels[i, i] if labels[i].max() < 1 else 1.0
        partner = int(np.argsort(labels[i])[-2]) if w < 1 else i
        if partner != i:
            np.testing.assert_allclose(images[i], w * IMAGES[i] + (1 - w) * IMAGES[partner],
                                       rtol=1e-4, atol=1e-2)


def test_cut_mix_pastes_a_partner_region_and_mixes_labels_by_area():
    out = kk.layers.CutMix(seed=3)({"images": IMAGES, "labels": LABELS})
    labels, images = np.asarray(out["labels"]), np.asarray(out["images"])
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-5)
    for i in range(len(IMAGES)):
        pasted = np.any(images[i] != IMAGES[i], axis=-1)
        assert abs(pasted.mean() - (1 - labels[i, i])) <= 0.3 or labels[i, i] == 1.0
    single = np.asarray(kk.layers.CutMix(seed=3)(IMAGES[0]))
    np.testing.assert_array_equal(single, IMAGES[0])  # Keras leaves single images alone
