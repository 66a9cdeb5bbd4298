"""Bounding boxes and segmentation masks through the augmentation layers, against Keras 3."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from tests.keras_oracle import keras

H, W = 8, 10
RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, size=(2, H, W, 3)).astype("float32")
MASKS = RNG.integers(0, 4, size=(2, H, W, 1)).astype("float32")
_XY = RNG.uniform(0, 6, size=(2, 3, 2))
CORNERS = np.concatenate([_XY, _XY + RNG.uniform(0.5, 4, size=_XY.shape)], -1).astype("float32")
LABELS = np.array([[1, 2, 0], [3, 1, 2]], "int32")
FORMATS = ["xyxy", "rel_xyxy", "center_xywh", "yxyx"]


def convert(boxes, source, target, height=H, width=W):
    return np.asarray(keras.utils.bounding_boxes.convert_format(
        np.asarray(boxes), source, target, height=height, width=width))


def sample(fmt, images=IMAGES, masks=MASKS):
    """A fresh dict (Keras writes into the dict it is given)."""
    return {"images": images, "segmentation_masks": masks,
            "bounding_boxes": {"boxes": convert(CORNERS, "xyxy", fmt), "labels": LABELS}}


def call(lib, name, kwargs, data, training=True):
    layer = getattr(lib.layers, name)(**kwargs)
    out = layer(data, training=training)
    boxes = {k: np.asarray(v) for k, v in out["bounding_boxes"].items()}
    return boxes, np.asarray(out["segmentation_masks"])


def assert_boxes_equal(got, expected, atol=1e-4):
    assert got["boxes"].shape == expected["boxes"].shape
    assert got["boxes"].dtype == expected["boxes"].dtype == np.float32
    assert got["labels"].dtype == expected["labels"].dtype
    np.testing.assert_allclose(got["boxes"], expected["boxes"], atol=atol)
    np.testing.assert_array_equal(got["labels"], expected["labels"])


# Deterministic configurations on which Keras converts every format correctly:
# (layer, kwargs, whether Keras warps masks with nearest sampling as well).
DETERMINISTIC = [
    ("Resizing", {"height": 4, "width": 5}, True),
    ("Resizing", {"height": 16, "width": 12}, True),
    ("Resizing", {"height": 4, "width": 4, "pad_to_aspect_ratio": True}, True),
    ("Resizing", {"height": 4, "width": 4, "crop_to_aspect_ratio": True}, True),
    ("CenterCrop", {"height": 4, "width": 6}, True),
    ("CenterCrop", {"height": 12, "width": 6}, False),  # Keras resizes masks bilinearly
    ("RandomZoom", {"height_factor": (0.3, 0.3)}, True),
    ("RandomZoom", {"height_factor": (-0.4, -0.4), "width_factor": (0.2, 0.2),
                    "fill_mode": "constant"}, True),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}, True),
    ("RandomTranslation", {"height_factor": (-0.25, -0.25), "width_factor": (0.1, 0.1),
                           "fill_mode": "constant"}, True),
]


@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "center_xywh"])
@pytest.mark.parametrize(("name", "kwargs", "masks"), DETERMINISTIC)
def test_deterministic_layers_move_boxes_and_masks_as_keras(name, kwargs, masks, fmt):
    kwargs = {**kwargs, "bounding_box_format": fmt}
    expected, k_masks = call(keras, name, kwargs, sample(fmt))
    got, kk_masks = call(kk, name, kwargs, sample(fmt))
    assert_boxes_equal(got, expected)
    assert (LABELS != -1).all() and (got["labels"] == -1).any() == (expected["labels"] == -1).any()
    if masks:
        np.testing.assert_allclose(kk_masks, k_masks, atol=1e-4)


@pytest.mark.parametrize(("name", "fmt"), [("Resizing", "yxyx"), ("RandomZoom", "xyxy"),
                                           ("RandomTranslation", "rel_xyxy"),
                                           ("CenterCrop", "center_xywh")])
def test_inference_matches_keras(name, fmt):
    kwargs = {"Resizing": {"height": 4, "width": 4, "pad_to_aspect_ratio": True},
              "RandomZoom": {"height_factor": (0.3, 0.3)}, "CenterCrop": {"height": 4, "width": 6},
              "RandomTranslation": {"height_factor": 0.2, "width_factor": 0.2}}[name]
    kwargs = {**kwargs, "bounding_box_format": fmt}
    expected, _ = call(keras, name, kwargs, sample(fmt), training=False)
    got, _ = call(kk, name, kwargs, sample(fmt), training=False)
    assert_boxes_equal(got, expected)


@pytest.mark.parametrize(("name", "kwargs"), [DETERMINISTIC[3][:2], DETERMINISTIC[7][:2]])
def test_channels_first_images_move_boxes_as_keras(name, kwargs):
    kwargs = {**kwargs, "bounding_box_format": "rel_xyxy", "data_format": "channels_first"}
    first = np.moveaxis(IMAGES, -1, 1)
    data = sample("rel_xyxy", images=first, masks=np.moveaxis(MASKS, -1, 1))
    expected, k_masks = call(keras, name, kwargs, data)
    got, kk_masks = call(kk, name, kwargs, sample("rel_xyxy", first, np.moveaxis(MASKS, -1, 1)))
    assert_boxes_equal(got, expected)
    np.testing.assert_allclose(kk_masks, k_masks, atol=1e-4)


@pytest.mark.parametrize("factor", [(0.25, 0.25), (0.1, 0.1), (-0.07, -0.07)])
def test_rotation_moves_boxes_as_keras_in_every_format(factor):
    # Keras rotates the raw numbers as if they were xyxy pixels; for the other formats the
    # reference is Keras's xyxy result converted
    expected, k_masks = call(keras, "RandomRotation", {"factor": factor,
                                                       "bounding_box_format": "xyxy"},
                             sample("xyxy"))
    for fmt in FORMATS:
        got, kk_masks = call(kk, "RandomRotation", {"factor": factor, "bounding_box_format": fmt},
                             sample(fmt))
        reference = {**expected, "boxes": convert(expected["boxes"], "xyxy", fmt)}
        assert_boxes_equal(got, reference)
        np.testing.assert_allclose(kk_masks, k_masks, atol=1e-4)


def _batched(fmt):
    return {"boxes": jnp.asarray(convert(CORNERS, "xyxy", fmt)), "labels": jnp.asarray(LABELS)}


def _keras_boxes(fmt):
    return {"boxes": keras.ops.convert_to_tensor(convert(CORNERS, "xyxy", fmt)),
            "labels": keras.ops.convert_to_tensor(LABELS)}


@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy", "yxyx"])
@pytest.mark.parametrize("factors", [((0.3, 0.3), (0.0, 0.0)), ((0.0, 0.0), (0.4, 0.4)),
                                     ((0.2, 0.2), (0.3, 0.3))])
def test_shear_moves_boxes_as_keras_for_the_same_draw(factors, fmt):
    x_factor, y_factor = factors
    layer = kk.layers.RandomShear(x_factor, y_factor, bounding_box_format=fmt)
    t = layer.get_random_transformation(jnp.asarray(IMAGES), jax.random.key(3))
    got = layer.transform_bounding_boxes(_batched(fmt), t, IMAGES.shape)
    oracle = keras.layers.RandomShear(x_factor, y_factor, bounding_box_format=fmt)
    expected = oracle.transform_bounding_boxes(
        _keras_boxes(fmt), {"shear_factor": np.asarray(t["shear_factor"]),
                            "input_shape": IMAGES.shape}, training=True)
    assert_boxes_equal({k: np.asarray(v) for k, v in got.items()},
                       {k: np.asarray(v) for k, v in expected.items()})


@pytest.mark.parametrize("fmt", ["xyxy", "rel_xyxy"])
def test_perspective_moves_boxes_as_keras_for_the_same_draw(fmt):
    layer = kk.layers.RandomPerspective(scale=0.6, bounding_box_format=fmt)
    t = dict(layer.get_random_transformation(jnp.asarray(IMAGES), jax.random.key(1)))
    t["apply_perspective"] = jnp.array([True, False])
    got = layer.transform_bounding_boxes(_batched(fmt), t, IMAGES.shape)
    oracle = keras.layers.RandomPerspective(scale=0.6, bounding_box_format="xyxy")
    expected = oracle.transform_bounding_boxes(
        _keras_boxes("xyxy"), {**{k: np.asarray(v) for k, v in t.items()},
                               "input_shape": IMAGES.shape}, training=True)
    # Keras returns xyxy whatever the format; the reference is that result converted
    reference = {"boxes": convert(expected["boxes"], "xyxy", fmt),
                 "labels": np.asarray(expected["labels"])}
    assert_boxes_equal({k: np.asarray(v) for k, v in got.items()}, reference)
    np.testing.assert_allclose(np.asarray(got["boxes"])[1], convert(CORNERS, "xyxy", fmt)[1],
                               atol=1e-5)  # the image left alone keeps its boxes


def test_mix_up_appends_the_partners_boxes_and_blends_masks():
    layer = kk.layers.MixUp(bounding_box_format="rel_xyxy")
    t = layer.get_random_transformation(jnp.asarray(IMAGES), jax.random.key(0))
    t = {**t, "permutation_order": jnp.array([1, 0])}
    got = layer.transform_bounding_boxes(_batched("rel_xyxy"), t, IMAGES.shape)
    oracle = keras.layers.MixUp(bounding_box_format="rel_xyxy")
    expected = oracle.transform_bounding_boxes(
        _keras_boxes("rel_xyxy"), {k: np.asarray(v) for k, v in t.items()}, training=True)
    np.testing.assert_allclose(np.asarray(got["boxes"]), np.asarray(expected["boxes"]))
    # Keras stacks the labels along the batch axis; here they follow their boxes
    np.testing.assert_array_equal(np.asarray(got["labels"]),
                                  np.concatenate([LABELS, LABELS[::-1]], axis=1))
    masks = np.asarray(layer.transform_segmentation_masks(jnp.asarray(MASKS), t))
    w = np.asarray(t["mix_weight"]).reshape(-1, 1, 1, 1)
    np.testing.assert_allclose(masks, w * MASKS + (1 - w) * MASKS[::-1], rtol=1e-6)


def _box_masks(corners):
    """One channel per box, 1 inside it (integer corners)."""
    rows, cols = np.arange(H)[:, None], np.arange(W)[None, :]
    return np.stack([np.stack([(cols >= x1) & (cols < x2) & (rows >= y1) & (rows < y2)
                               for x1, y1, x2, y2 in image], -1)
                     for image in corners]).astype("float32")


def _mask_extent(mask):
    rows, cols = np.nonzero(mask)
    return [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1] if len(rows) else None


@pytest.mark.parametrize(("size", "fmt"), [((4, 6), "xyxy"), ((5, 3), "rel_xyxy"),
                                           ((8, 4), "center_xywh")])
def test_random_crop_boxes_are_the_extents_of_their_cropped_masks(size, fmt):
    # Keras shifts x by the top offset (and y by the left one), so the oracle is the crop
    # of box-shaped masks itself, with the same window
    corners = np.round(CORNERS).astype("float32")
    masks = _box_masks(corners)
    data = {"images": IMAGES, "segmentation_masks": masks,
            "bounding_boxes": {"boxes": convert(corners, "xyxy", fmt), "labels": LABELS}}
    for seed in range(3):
        got, cropped = call(kk, "RandomCrop", {"height": size[0], "width": size[1],
                                               "seed": seed, "bounding_box_format": fmt}, data)
        boxes = convert(got["boxes"], fmt, "xyxy", *size)
        for b, (image_boxes, image_labels) in enumerate(zip(boxes, got["labels"])):
            for i, (box, label) in enumerate(zip(image_boxes, image_labels)):
                extent = _mask_extent(cropped[b, ..., i])
                assert (label == -1) == (extent is None)
                if extent is not None:
                    np.testing.assert_allclose(box, extent, atol=1e-4)


# Layers that leave boxes alone in Keras 3 (colour, histogram, erasing, AugMix).
PASS_THROUGH = [
    ("RandomBrightness", {"factor": 0.3}), ("RandomContrast", {"factor": 0.3}),
    ("RandomHue", {"factor": 0.3, "value_range": (0, 255)}),
    ("RandomSaturation", {"factor": 0.5}), ("RandomGrayscale", {"factor": 1.0}),
    ("RandomInvert", {"factor": 1.0}), ("RandomPosterization", {"factor": (2, 4)}),
    ("RandomSharpness", {"factor": 0.5}), ("Solarization", {"addition_factor": 0.2}),
    ("AutoContrast", {}), ("Equalization", {}), ("RandomGaussianBlur", {"factor": 1.0}),
    ("RandomColorDegeneration", {"factor": 0.5}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "hue_factor": 0.2}),
    ("RandomErasing", {"factor": 1.0}), ("AugMix", {}),
]


def _seeded(name, kwargs):
    kwargs = {**kwargs, "bounding_box_format": "center_xywh"}
    return kwargs if name in ("AutoContrast", "Equalization") else {**kwargs, "seed": 0}


@pytest.mark.parametrize(("name", "kwargs"), PASS_THROUGH)
def test_colour_layers_keep_boxes_by_keras_rule(name, kwargs):
    kwargs = _seeded(name, kwargs)
    given = {"boxes": jnp.asarray(convert(CORNERS, "xyxy", "center_xywh")),
             "labels": jnp.asarray(LABELS)}
    layer = getattr(kk.layers, name)(**kwargs)
    t = layer.get_random_transformation(jnp.asarray(IMAGES), jax.random.key(0))
    got = layer.transform_bounding_boxes(dict(given), t, IMAGES.shape)
    oracle = getattr(keras.layers, name)(**kwargs)
    expected = oracle.transform_bounding_boxes(dict(given), transformation=None, training=True)
    assert_boxes_equal({k: np.asarray(v) for k, v in got.items()},
                       {k: np.asarray(v) for k, v in expected.items()}, atol=0)


@pytest.mark.parametrize(("name", "kwargs"), [PASS_THROUGH[0], PASS_THROUGH[4],
                                              PASS_THROUGH[14], PASS_THROUGH[15]])
def test_colour_layers_called_on_dicts_leave_boxes_and_masks_alone(name, kwargs):
    got, masks = call(kk, name, _seeded(name, kwargs), sample("center_xywh"))
    given = {"boxes": convert(CORNERS, "xyxy", "center_xywh"), "labels": LABELS}
    assert_boxes_equal(got, given, atol=0)
    if name == "AugMix":  # Keras mixes masks from the same chains as the images
        assert masks.shape == MASKS.shape and not np.allclose(masks, MASKS)
    else:
        np.testing.assert_array_equal(masks, MASKS)


def test_rand_augment_and_aug_mix_warp_masks_with_the_images_draw():
    # forced onto the geometric menu entries (shear, translation, rotation) with nearest
    # sampling, masks equal to the images come out equal to the augmented images
    images = jnp.asarray(np.repeat(MASKS * 60.0, 3, axis=-1))
    for name, steps in (("RandAugment", 2), ("AugMix", 9)):
        layer = getattr(kk.layers, name)(factor=(0.5, 0.5), interpolation="nearest")
        t = dict(layer.get_random_transformation(images, jax.random.key(4)))
        t["layer_idxes"] = jnp.arange(steps) % 3
        warped = np.asarray(layer.transform_images(images, t))
        masks = np.asarray(layer.transform_segmentation_masks(images, t))
        assert not np.allclose(warped, images)
        np.testing.assert_allclose(masks, warped, atol=1e-3)


def test_unbatched_dicts_give_the_first_row_of_the_batched_result():
    kwargs = {"factor": (0.1, 0.1), "bounding_box_format": "rel_xyxy"}
    batched, _ = call(kk, "RandomRotation", kwargs, sample("rel_xyxy"))
    one = {"images": IMAGES[0], "bounding_boxes": {
        "boxes": convert(CORNERS, "xyxy", "rel_xyxy")[0], "labels": LABELS[0]}}
    out = kk.layers.RandomRotation(**kwargs)(one)["bounding_boxes"]
    np.testing.assert_allclose(np.asarray(out["boxes"]), batched["boxes"][0], atol=1e-5)
    np.testing.assert_array_equal(np.asarray(out["labels"]), batched["labels"][0])


RANDOM = [
    ("RandomRotation", {"factor": 0.3}), ("RandomShear", {"x_factor": 0.4, "y_factor": 0.4}),
    ("RandomPerspective", {"factor": 1.0, "scale": 0.8}),
    ("RandomZoom", {"height_factor": 0.4, "width_factor": 0.4}),
    ("RandomTranslation", {"height_factor": 0.4, "width_factor": 0.4}),
    ("RandAugment", {"num_ops": 2, "factor": 1.0}),
]


@pytest.mark.parametrize(("name", "kwargs"), RANDOM)
def test_random_layers_keep_boxes_in_the_image_and_around_their_warped_masks(name, kwargs):
    corners = np.round(CORNERS).astype("float32")
    kwargs = {**kwargs, "bounding_box_format": "xyxy", "seed": 5}
    if name != "RandAugment":
        kwargs["interpolation"] = "nearest"
    if "fill_mode" in getattr(kk.layers, name).__init__.__code__.co_varnames:
        kwargs["fill_mode"] = "constant"
    data = {"images": IMAGES, "segmentation_masks": _box_masks(corners),
            "bounding_boxes": {"boxes": corners, "labels": LABELS}}
    got, masks = call(kk, name, kwargs, data)
    again, _ = call(kk, name, kwargs, data)
    assert_boxes_equal(got, again, atol=0)  # deterministic under a fixed seed
    if name == "RandAugment":  # Keras's (slow) RandAugment selects among its layers' boxes
        assert got["boxes"].shape == corners.shape
    else:
        expected, _ = call(keras, name, kwargs, {**data, "bounding_boxes": dict(
            data["bounding_boxes"])})
        assert got["boxes"].shape == expected["boxes"].shape
        assert got["labels"].dtype == expected["labels"].dtype == np.int32
    boxes = got["boxes"]
    assert (boxes >= 0).all() and (boxes[..., 0::2] <= W).all() and (boxes[..., 1::2] <= H).all()
    assert np.isin(got["labels"], [-1, *np.unique(LABELS)]).all()
    assert ((got["labels"] == -1) | (got["labels"] == LABELS)).all()
    moved = 0
    for b in range(len(boxes)):
        moved += not np.allclose(boxes[b], corners[b])
        if name == "RandAugment":  # reflect filling copies the masks; only boxes are checked
            continue
        for i, box in enumerate(boxes[b]):
            extent = _mask_extent(masks[b, ..., i])
            if extent is not None and got["labels"][b, i] != -1:
                # the warped mask stays inside its box, give or take the pixel grid
                assert box[0] - 1.5 <= extent[0] and extent[2] <= box[2] + 1.5
                assert box[1] - 1.5 <= extent[1] and extent[3] <= box[3] + 1.5
    assert moved > 0


GEOMETRIC = [("Resizing", (4, 5)), ("CenterCrop", (4, 6)), ("RandomCrop", (4, 6)),
             ("RandomFlip", ()), ("RandomRotation", (0.2,)), ("RandomZoom", (0.2,)),
             ("RandomTranslation", (0.2, 0.2)), ("RandomShear", (0.2, 0.2)),
             ("RandomPerspective", ()), ("MaxNumBoundingBoxes", (4,))]


def test_geometric_layers_move_boxes_inside_one_jitted_call():
    def make():
        return nnx.List([getattr(kk.layers, name)(*args, bounding_box_format="yxyx",
                                                   **({} if name in ("Resizing", "CenterCrop",
                                                                     "MaxNumBoundingBoxes")
                                                      else {"seed": 0}))
                         for name, args in GEOMETRIC])

    eager_layers, jit_layers = make(), make()

    @nnx.jit
    def step(layers, data):
        return [layer(dict(data), training=True)["bounding_boxes"] for layer in layers]

    data = sample("yxyx")
    jitted = step(jit_layers, data)
    for layer, out in zip(eager_layers, jitted):
        eager = layer(sample("yxyx"), training=True)["bounding_boxes"]
        assert isinstance(out["boxes"], jax.Array)
        np.testing.assert_allclose(np.asarray(out["boxes"]), np.asarray(eager["boxes"]),
                                   atol=1e-4)
        np.testing.assert_array_equal(np.asarray(out["labels"]), np.asarray(eager["labels"]))


@pytest.mark.parametrize("lib", [kk, keras])
def test_refusals_and_errors_name_the_layer(lib):
    if lib is keras:  # the oracle refuses the same inputs
        for layer in (keras.layers.CutMix(bounding_box_format="xyxy"),
                      keras.layers.RandomElasticTransform(bounding_box_format="xyxy")):
            with pytest.raises(NotImplementedError):
                layer(sample("xyxy"))
        with pytest.raises(ValueError, match="bounding box format"):
            keras.layers.RandomZoom(0.2)(sample("xyxy"))
        return
    L = kk.layers
    for layer, name in ((L.CutMix(bounding_box_format="xyxy"), "CutMix"),
                        (L.RandomElasticTransform(bounding_box_format="xyxy"),
                         "RandomElasticTransform"),
                        (L.ContrastLimitedAdaptiveHistogramEqualization(
                            bounding_box_format="xyxy"),
                         "ContrastLimitedAdaptiveHistogramEqualization")):
        with pytest.raises(ValueError, match=rf"{name} '.*'.*not supported"):
            layer(sample("xyxy"))
    with pytest.raises(ValueError, match=r"RandomZoom '.*'.*bounding_box_format='xyxy'"):
        L.RandomZoom(0.2)(sample("xyxy"))
    with pytest.raises(ValueError, match=r"RandomZoom '.*'.*unknown `bounding_box_format`"):
        L.RandomZoom(0.2, bounding_box_format="xyzw")
    zoom = L.RandomZoom(0.2, bounding_box_format="xyxy")
    wrong = [({"boxes": np.zeros((2, 3, 5)), "labels": LABELS}, r"\(batch, num_boxes, 4\)"),
             ({"boxes": np.zeros((3, 4)), "labels": LABELS[0]}, r"float32\[3, 4\]"),
             ({"boxes": np.zeros((2, 3, 4)), "labels": LABELS[:, :2]}, "one label per box"),
             ({"boxes": np.zeros((2, 3, 4))}, "'boxes' and 'labels'")]
    for boxes, message in wrong:
        with pytest.raises(ValueError, match=rf"RandomZoom '.*'.*{message}"):
            zoom({"images": IMAGES, "bounding_boxes": boxes})


def test_a_pipeline_moves_boxes_through_each_layer_as_keras():
    def layers(lib):
        return [lib.layers.RandomZoom((0.2, 0.2), bounding_box_format="xyxy"),
                lib.layers.RandomTranslation((0.1, 0.1), (-0.2, -0.2),
                                             bounding_box_format="xyxy"),
                lib.layers.Resizing(6, 6, pad_to_aspect_ratio=True, bounding_box_format="xyxy")]

    expected = keras.layers.Pipeline(layers(keras))(sample("xyxy"))["bounding_boxes"]
    got = kk.layers.Pipeline(layers(kk))(sample("xyxy"))["bounding_boxes"]
    assert_boxes_equal({k: np.asarray(v) for k, v in got.items()},
                       {k: np.asarray(v) for k, v in expected.items()})
