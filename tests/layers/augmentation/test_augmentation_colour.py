"""Colour and pixel image layers vs Keras 3: contrast, brightness, HSV, histogram, noise, mixing."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(1)
IMAGES = RNG.uniform(0, 255, size=(3, 6, 7, 3)).astype("float32")
IMAGES[0, :2] = 0.0  # some black pixels (hue 0) and constant areas


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


def _compare(name, kwargs, x, training=True, atol=1e-3):
    kk_layer, k_layer = _pair(name, kwargs)
    expected = np.asarray(k_layer(x, training=training))
    got = np.asarray(kk_layer(x, training=training))
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_allclose(got, expected, atol=atol, rtol=1e-4)


DETERMINISTIC = [
    ("RandomBrightness", {"factor": (0.2, 0.2)}),
    ("RandomBrightness", {"factor": (-0.3, -0.3), "value_range": (0, 200)}),
    ("RandomContrast", {"factor": 0.0}),
    ("RandomSaturation", {"factor": (0.3, 0.3)}),
    ("RandomSaturation", {"factor": (0.8, 0.8)}),
    ("RandomColorDegeneration", {"factor": (0.4, 0.4)}),
    ("RandomGrayscale", {"factor": 1.0}),
    ("RandomInvert", {"factor": (1.0, 1.0)}),
    ("RandomPosterization", {"factor": (3, 3)}),
    ("RandomSharpness", {"factor": (0.2, 0.2)}),
    ("RandomSharpness", {"factor": (0.9, 0.9), "data_format": "channels_first"}),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.7, 0.7), "kernel_size": 5}),
    ("RandomErasing", {"factor": 0.0}),
    ("RandomColorJitter", {"brightness_factor": (0.1, 0.1), "contrast_factor": 0.0}),
    ("AutoContrast", {}),
    ("AutoContrast", {"value_range": (0, 300)}),
    ("Equalization", {}),
    ("Equalization", {"bins": 16, "value_range": (0, 300)}),
    ("Solarization", {}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 3)}),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (4, 4), "clip_limit": 0,
                                                      "data_format": "channels_first"}),
]


@pytest.mark.parametrize(("name", "kwargs"), DETERMINISTIC)
def test_deterministic_factors_match_keras(name, kwargs):
    x = IMAGES.transpose(0, 3, 1, 2) if kwargs.get("data_format") == "channels_first" else IMAGES
    _compare(name, kwargs, x)


RANDOM = [
    ("RandomBrightness", {"factor": 0.3}),
    ("RandomContrast", {"factor": 0.5}),
    ("RandomHue", {"factor": 0.5}),
    ("RandomSaturation", {"factor": 0.5}),
    ("RandomColorDegeneration", {"factor": 0.5}),
    ("RandomGrayscale", {"factor": 0.5}),
    ("RandomInvert", {"factor": 0.5}),
    ("RandomPosterization", {"factor": (1, 8)}),
    ("RandomSharpness", {"factor": 0.5}),
    ("RandomErasing", {}),
    ("RandomGaussianBlur", {}),
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.2}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "contrast_factor": 0.3,
                           "saturation_factor": 0.4, "hue_factor": 0.2}),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": (0.3, 0.7)}),
]


@pytest.mark.parametrize(("name", "kwargs"), RANDOM + [("AutoContrast", {}),
                                                       ("Equalization", {})])
def test_inference_path_matches_keras(name, kwargs):
    _compare(name, kwargs, IMAGES, training=False)


@pytest.mark.parametrize(("name", "kwargs"), RANDOM)
def test_random_draws_are_seeded_fresh_and_in_range(name, kwargs):
    x = np.tile(IMAGES, (4, 1, 1, 1))
    a = getattr(kk.layers, name)(**kwargs, seed=11)
    b = getattr(kk.layers, name)(**kwargs, seed=11)
    first = np.asarray(a(x))
    np.testing.assert_array_equal(first, np.asarray(b(x)))
    assert not np.array_equal(first, np.asarray(a(x)))
    assert first.shape == x.shape and first.dtype == np.float32
    assert first.min() >= -1e-3 and first.max() <= 255 + 1e-3
    unbatched = np.asarray(a(x[0]))
    assert unbatched.shape == x[0].shape


@pytest.mark.parametrize(("name", "kwargs"), RANDOM + DETERMINISTIC[14:])
def test_config_keys_and_keras_configs_load(name, kwargs):
    with_seed = {**kwargs, "seed": 3} if name.startswith("Random") or name == "Solarization" \
        else kwargs
    kk_layer, k_layer = _pair(name, with_seed)
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    clone = type(kk_layer).from_config(k_config).get_config()
    for key, value in k_config.items():
        if key not in ("name", "dtype"):
            assert clone[key] == value, key
    assert type(kk_layer).from_config(kk_layer.get_config()).get_config() == kk_layer.get_config()


def test_random_hue_shifts_each_image_by_plus_or_minus_half_the_factor():
    x = IMAGES / 255.0
    out = np.asarray(kk.layers.RandomHue((0.4, 0.4), value_range=(0, 1), seed=0)(x))
    hsv = np.asarray(keras.ops.image.rgb_to_hsv(x))
    for image, o in zip(hsv, out):
        candidates = []
        for shift in (0.2, -0.2):
            shifted = image.copy()
            shifted[..., 0] = np.mod(shifted[..., 0] + shift, 1.0)
            candidates.append(np.clip(np.asarray(keras.ops.image.hsv_to_rgb(shifted)), 0, 1))
        assert min(np.abs(o - c).max() for c in candidates) < 1e-4


def test_random_shear_is_keras_shear_with_a_random_sign():
    layer = kk.layers.RandomShear(x_factor=(0.3, 0.3), y_factor=(0.1, 0.1), seed=2)
    out = np.asarray(layer(np.tile(IMAGES, (3, 1, 1, 1))))
    signs = []
    for image, o in zip(np.tile(IMAGES, (3, 1, 1, 1)), out):
        errors = [np.abs(o - np.asarray(keras.ops.image.affine_transform(
            image, np.array([1, s * 0.3, 0, s * 0.1, 1, 0, 0, 0], "float32"),
            fill_mode="reflect"))).max() for s in (1, -1)]
        assert min(errors) < 1e-3
        signs.append(int(np.argmin(errors)))
    assert 0 < sum(signs) < len(signs)


def test_random_contrast_scales_deviations_from_the_image_mean():
    x = RNG.uniform(100, 150, size=(8, 5, 5, 3)).astype("float32")
    out = np.asarray(kk.layers.RandomContrast((0.3, 0.3), seed=0)(x))
    mean = x.mean(axis=(1, 2), keepdims=True)
    factors = ((out - mean) / (x - mean)).reshape(8, -1)
    np.testing.assert_allclose(factors, factors[:, :1] * np.ones_like(factors), rtol=1e-3)
    assert (factors >= 0.7 - 1e-4).all() and (factors <= 1.3 + 1e-4).all()
    assert np.ptp(factors[:, 0]) > 0.01


def test_random_erasing_erases_one_rectangle_with_the_fill_value():
    x = np.ones((4, 10, 10, 3), "float32")
    out = np.asarray(kk.layers.RandomErasing(factor=(1.0, 1.0), fill_value=0.0, seed=1)(x))
    for image in out:
        rows, cols = np.nonzero(image[..., 0] == 0)
        assert len(rows)
        box = image[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
        assert (box == 0).all() and (image != 0).sum() == image.size - box.size


def test_pipeline_applies_its_layers_in_order_and_loads_keras_configs():
    layers = [kk.layers.RandomBrightness((0.1, 0.1)), kk.layers.CenterCrop(4, 4)]
    pipeline = kk.layers.Pipeline(layers)
    np.testing.assert_allclose(np.asarray(pipeline(IMAGES)),
                               np.asarray(layers[1](layers[0](IMAGES))))
    np.testing.assert_array_equal(np.asarray(pipeline(IMAGES, training=False)),
                                  np.asarray(layers[1](IMAGES)))
    k_pipeline = keras.layers.Pipeline([keras.layers.RandomBrightness((0.1, 0.1)),
                                        keras.layers.CenterCrop(4, 4)])
    k_config = k_pipeline.get_config()
    assert set(pipeline.get_config()) == set(k_config)
    loaded = kk.layers.Pipeline.from_config(k_config)
    np.testing.assert_allclose(np.asarray(loaded(IMAGES)), np.asarray(k_pipeline(IMAGES)),
                               atol=1e-4)


def test_max_num_bounding_boxes_pads_and_truncates_like_keras():
    boxes = {"boxes": RNG.uniform(0, 5, size=(3, 2, 4)).astype("float32"),
             "labels": np.array([[1, 2], [0, 1], [2, 2]], "float32")}
    for n in (1, 4):
        data = {"images": IMAGES, "bounding_boxes": dict(boxes)}
        kk_out = kk.layers.MaxNumBoundingBoxes(n, bounding_box_format="xyxy")(data)
        k_out = keras.layers.MaxNumBoundingBoxes(n, bounding_box_format="xyxy")(
            {"images": IMAGES, "bounding_boxes": dict(boxes)})
        for key in ("boxes", "labels"):
            np.testing.assert_allclose(np.asarray(kk_out["bounding_boxes"][key]),
                                       np.asarray(k_out["bounding_boxes"][key]))


@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("RandomContrast", {"factor": 1.5}, "factor"),
    ("RandomBrightness", {"factor": 0.1, "value_range": 255}, "value_range"),
    ("RandomGrayscale", {"factor": 2}, "factor"),
    ("RandomPosterization", {"factor": 9}, "factor"),
    ("RandomGaussianBlur", {"kernel_size": 4}, "kernel_size"),
    ("RandomErasing", {"fill_value": (1, 2)}, "fill_value"),
    ("Solarization", {"threshold_factor": 2.0}, "threshold_factor"),
    ("RandomShear", {"x_factor": -0.5}, "x_factor"),
])
def test_bad_arguments_name_the_layer(name, kwargs, match):
    with pytest.raises(ValueError, match=rf"{name} '.*'.*{match}"):
        getattr(kk.layers, name)(**kwargs)
