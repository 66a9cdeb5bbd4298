"""Geometric image layers vs Keras 3: resizing, cropping, flips and the random affine family."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(3, 8, 10, 3)).astype("float32")


def _pair(name, kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


def _compare(name, kwargs, x, training=True, atol=1e-3):
    kk_layer, k_layer = _pair(name, kwargs)
    expected = np.asarray(k_layer(x, training=training))
    got = np.asarray(kk_layer(x, training=training))
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_allclose(got, expected, atol=atol, rtol=1e-5)
    return got


# Layers whose output is deterministic (fixed factors), compared value for value with Keras.
DETERMINISTIC = [
    ("Resizing", {"height": 5, "width": 4}),
    ("Resizing", {"height": 16, "width": 12, "interpolation": "nearest"}),
    ("Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True}),
    ("Resizing", {"height": 4, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 7.0}),
    ("Resizing", {"height": 4, "width": 5, "interpolation": "bicubic", "antialias": True}),
    ("CenterCrop", {"height": 4, "width": 6}),
    ("CenterCrop", {"height": 12, "width": 6}),  # taller than the input: smart resize
    ("RandomCrop", {"height": 8, "width": 10, "seed": 1}),  # same size: no random window
    ("RandomCrop", {"height": 10, "width": 4, "seed": 1}),
    ("RandomRotation", {"factor": (0.25, 0.25)}),
    ("RandomRotation", {"factor": (0.1, 0.1), "fill_mode": "constant", "fill_value": 9.0}),
    ("RandomRotation", {"factor": (-0.07, -0.07), "fill_mode": "wrap", "interpolation": "nearest"}),
    ("RandomRotation", {"factor": (0.3, 0.3), "fill_mode": "nearest"}),
    ("RandomZoom", {"height_factor": (0.3, 0.3)}),
    ("RandomZoom", {"height_factor": (-0.4, -0.4), "width_factor": (0.2, 0.2),
                    "fill_mode": "constant"}),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}),
    ("RandomTranslation", {"height_factor": (-0.25, -0.25), "width_factor": (0.1, 0.1),
                           "fill_mode": "wrap"}),
    ("RandomTranslation", {"height_factor": 0.0, "width_factor": (0.5, 0.5),
                           "fill_mode": "constant", "interpolation": "nearest"}),
]


@pytest.mark.parametrize(("name", "kwargs"), DETERMINISTIC)
def test_deterministic_factors_match_keras(name, kwargs):
    _compare(name, kwargs, IMAGES)


@pytest.mark.parametrize(("name", "kwargs"), [DETERMINISTIC[0], DETERMINISTIC[5],
                                              DETERMINISTIC[9], DETERMINISTIC[15]])
def test_unbatched_and_channels_first_match_keras(name, kwargs):
    _compare(name, kwargs, IMAGES[0])
    _compare(name, {**kwargs, "data_format": "channels_first"}, IMAGES.transpose(0, 3, 1, 2))


RANDOM = [
    ("RandomFlip", {}),
    ("RandomFlip", {"mode": "vertical"}),
    ("RandomCrop", {"height": 5, "width": 6}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomZoom", {"height_factor": 0.3, "width_factor": (-0.2, 0.4)}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2}),
]


@pytest.mark.parametrize(("name", "kwargs"), RANDOM + DETERMINISTIC[:1] + DETERMINISTIC[5:6])
def test_inference_path_matches_keras(name, kwargs):
    _compare(name, kwargs, IMAGES, training=False)
    _compare(name, kwargs, IMAGES.astype("uint8"), training=False)


@pytest.mark.parametrize(("name", "kwargs"), RANDOM)
def test_random_draws_are_seeded_and_fresh_each_call(name, kwargs):
    x = np.tile(IMAGES, (4, 1, 1, 1))  # 12 images: some flips, some not
    a = getattr(kk.layers, name)(**kwargs, seed=5)
    b = getattr(kk.layers, name)(**kwargs, seed=5)
    first = np.asarray(a(x))
    np.testing.assert_array_equal(first, np.asarray(b(x)))
    second = np.asarray(a(x))
    assert not np.array_equal(first, second)
    expected_shape = getattr(keras.layers, name)(**kwargs).compute_output_shape(x.shape)
    assert first.shape == tuple(expected_shape) and first.dtype == np.float32
    assert first.min() >= IMAGES.min() - 1e-3 and first.max() <= IMAGES.max() + 1e-3


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_flips_whole_images_as_keras_does(mode):
    x = np.tile(IMAGES, (6, 1, 1, 1))
    out = np.asarray(kk.layers.RandomFlip(mode, seed=3)(x))
    axes = {"horizontal": (2,), "vertical": (1,), "horizontal_and_vertical": (1, 2)}[mode]
    flipped = np.flip(x, axis=axes)
    is_flipped = [np.array_equal(o, f) for o, f in zip(out, flipped)]
    is_same = [np.array_equal(o, i) for o, i in zip(out, x)]
    assert all(f or s for f, s in zip(is_flipped, is_same))
    assert 0 < sum(is_flipped) < len(x)  # 18 fair coins
    # the flip itself is Keras's: a Keras layer that draws "flip" gives the same image
    k_out = np.asarray(keras.layers.RandomFlip(mode, seed=0)(x))
    k_flipped = [np.array_equal(o, f) for o, f in zip(k_out, flipped)]
    assert all(f or np.array_equal(o, i) for f, o, i in zip(k_flipped, k_out, x))


def test_random_crop_windows_come_from_the_image():
    x = np.arange(2 * 6 * 7, dtype="float32").reshape(2, 6, 7, 1)
    out = np.asarray(kk.layers.RandomCrop(3, 4, seed=2)(x))
    assert out.shape == (2, 3, 4, 1)
    top, left = np.argwhere(x[0, ..., 0] == out[0, 0, 0, 0])[0]
    np.testing.assert_array_equal(out[:, :, :, 0], x[:, top:top + 3, left:left + 4, 0])


@pytest.mark.parametrize(("name", "kwargs"), RANDOM + DETERMINISTIC[:1] + DETERMINISTIC[5:6])
def test_config_keys_and_keras_configs_load(name, kwargs):
    kk_layer, k_layer = _pair(name, {**kwargs, "seed": 4} if name.startswith("Random") else kwargs)
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    clone = type(kk_layer).from_config(k_config)
    for key, value in k_config.items():
        if key not in ("name", "dtype"):
            assert clone.get_config()[key] == value, key
    again = type(kk_layer).from_config(kk_layer.get_config())
    assert again.get_config() == kk_layer.get_config()


@pytest.mark.parametrize(("name", "kwargs"), RANDOM + DETERMINISTIC[:1] + DETERMINISTIC[5:6])
def test_symbolic_shapes_match_keras(name, kwargs):
    kk_layer, k_layer = _pair(name, kwargs)
    assert kk_layer(kk.Input((8, 10, 3))).shape == k_layer(keras.Input((8, 10, 3))).shape


def test_segmentation_masks_follow_the_flip_and_labels_pass_through():
    masks = (IMAGES[..., :1] > 128).astype("float32")
    data = {"images": IMAGES, "segmentation_masks": masks, "labels": np.arange(3)}
    out = kk.layers.RandomFlip("horizontal", seed=1)(data)
    np.testing.assert_array_equal(out["labels"], np.arange(3))
    for image, mask, o_image, o_mask in zip(IMAGES, masks, out["images"], out["segmentation_masks"]):
        flipped = not np.array_equal(np.asarray(o_image), image)
        np.testing.assert_array_equal(np.asarray(o_mask), np.flip(mask, 1) if flipped else mask)


def test_dict_inputs_match_keras_for_resizing():
    masks = RNG.integers(0, 3, size=(3, 8, 10, 1)).astype("float32")
    data = {"images": IMAGES, "segmentation_masks": masks}
    k_out = keras.layers.Resizing(4, 5)(dict(data))
    kk_out = kk.layers.Resizing(4, 5)(dict(data))
    for key in data:
        np.testing.assert_allclose(np.asarray(kk_out[key]), np.asarray(k_out[key]), atol=1e-3)


@pytest.mark.parametrize(("name", "kwargs", "match"), [
    ("RandomRotation", {"factor": 1.5}, "factor"),
    ("RandomRotation", {"factor": 0.1, "fill_mode": "mirror"}, "fill_mode"),
    ("RandomZoom", {"height_factor": (-1.0, 0.2)}, "height_factor"),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": "x"}, "width_factor"),
    ("RandomFlip", {"mode": "diagonal"}, "mode"),
    ("Resizing", {"height": 2, "width": 2, "interpolation": "area"}, "interpolation"),
])
def test_bad_arguments_name_the_layer(name, kwargs, match):
    with pytest.raises(ValueError, match=rf"{name} '.*'.*{match}"):
        getattr(kk.layers, name)(**kwargs)


@pytest.mark.parametrize("name", ["RandomFlip", "Resizing"])
def test_wrong_rank_names_the_layer_and_the_expected_input(name):
    layer = kk.layers.RandomFlip() if name == "RandomFlip" else kk.layers.Resizing(2, 2)
    with pytest.raises(ValueError, match=rf"{name} '.*'.*rank 3 .* or 4"):
        layer(np.ones((4, 4), "float32"))


@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "center_xywh", "yxyx"])
@pytest.mark.parametrize("mode", ["horizontal", "horizontal_and_vertical"])
def test_random_flip_moves_bounding_boxes_as_keras_does_for_the_same_flips(fmt, mode):
    images = np.tile(IMAGES, (3, 1, 1, 1))
    xy = RNG.uniform(0, 5, size=(len(images), 3, 2)).astype("float32")
    corners = np.concatenate([xy, xy + RNG.uniform(0.5, 4, size=xy.shape)], -1).astype("float32")
    boxes = np.asarray(keras.utils.bounding_boxes.convert_format(corners, "xyxy", fmt,
                                                                 height=8, width=10))
    labels = RNG.integers(0, 3, size=(len(images), 3)).astype("float32")
    data = {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    out = kk.layers.RandomFlip(mode, seed=1, bounding_box_format=fmt)(data)
    flipped = np.array([not np.array_equal(np.asarray(o), i) for o, i in zip(out["images"], images)])
    assert 0 < flipped.sum() < len(images)
    reference = keras.layers.RandomFlip(mode, bounding_box_format=fmt).transform_bounding_boxes(
        {"boxes": keras.ops.convert_to_tensor(boxes), "labels": keras.ops.convert_to_tensor(labels)},
        {"flips": flipped[:, None, None, None], "input_shape": images.shape}, training=True)
    np.testing.assert_allclose(np.asarray(out["bounding_boxes"]["boxes"]),
                               np.asarray(reference["boxes"]), atol=1e-5)
    np.testing.assert_array_equal(np.asarray(out["bounding_boxes"]["labels"]),
                                  np.asarray(reference["labels"]))


def test_boxes_without_a_format_or_on_layers_without_box_support_are_refused():
    data = {"images": IMAGES, "bounding_boxes": {"boxes": np.zeros((3, 1, 4)),
                                                 "labels": np.zeros((3, 1))}}
    with pytest.raises(ValueError, match="RandomFlip '.*'.*bounding_box_format"):
        kk.layers.RandomFlip()(dict(data))
    with pytest.raises(ValueError,
                       match="RandomElasticTransform '.*'.*bounding boxes are not supported"):
        kk.layers.RandomElasticTransform(bounding_box_format="xyxy")(dict(data))
