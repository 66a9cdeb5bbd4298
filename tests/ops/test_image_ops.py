"""`kernelkit.ops.image` vs `keras.ops.image`: the same values on the same inputs."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import ops
from tests.keras_oracle import keras

K = keras.ops.image
RNG = np.random.default_rng(0)
X = RNG.random((2, 8, 10, 3)).astype("float32")
T = np.array([[0.9, 0.2, 1.0, -0.1, 1.1, 0.5, 0, 0], [1, 0, 2, 0, 1, -1, 0, 0]], "float32")
START = np.array([[0, 0], [9, 0], [0, 7], [9, 7]], "float32")
END = START + RNG.normal(size=(4, 2)).astype("float32")
COORDS = (RNG.random((2, 3, 4)) * 9).astype("float32")
Y = RNG.random((2, 16, 16, 3)).astype("float32")
Z = np.clip(Y + 0.1 * RNG.random(Y.shape), 0, 1).astype("float32")
VOLUMES = RNG.random((2, 6, 6, 6, 2)).astype("float32")

CASES = {
    "rgb_to_grayscale": ((X,), {}),
    "rgb_to_grayscale_cf": ((X.transpose(0, 3, 1, 2),), {"data_format": "channels_first"}),
    "rgb_to_hsv": ((X,), {}),
    "hsv_to_rgb": ((X,), {}),
    "resize": ((X, (5, 5)), {}),
    "resize_nearest": ((X, (16, 4)), {"interpolation": "nearest"}),
    "resize_crop": ((X, (5, 5)), {"crop_to_aspect_ratio": True}),
    "resize_pad": ((X, (5, 5)), {"pad_to_aspect_ratio": True, "fill_value": 2.0}),
    "resize_antialias": ((X[0], (3, 4)), {"antialias": True, "interpolation": "bicubic"}),
    "affine_transform": ((X, T), {}),
    "affine_transform_unbatched": ((X[0], T[0]), {"interpolation": "nearest"}),
    "affine_transform_cf": ((X.transpose(0, 3, 1, 2), T),
                            {"data_format": "channels_first", "fill_mode": "reflect"}),
    "perspective_transform": ((X[0], START, END), {}),
    "perspective_transform_batch": ((X, np.stack([START, START]), np.stack([END, START])), {}),
    "map_coordinates": ((X[0, :, :, 0], COORDS, 1), {"fill_mode": "reflect"}),
    "map_coordinates_nearest": ((X[0, :, :, 0], COORDS, 0), {"fill_mode": "wrap"}),
    "gaussian_blur": ((X, (3, 5), (1.0, 2.0)), {"data_format": "channels_last"}),
    "sobel_edges": ((X,), {}),
    "scale_and_translate": ((X, (2, 4, 5, 3), np.array([0.5, 0.5]), np.array([0.1, 0.2]),
                             (1, 2), "linear"), {}),
    "pad_images": ((X, 1, 2), {"target_height": 12, "right_padding": 1}),
    "crop_images": ((X, 1, 2), {"target_height": 5, "right_cropping": 1}),
    "crop_images_cf": ((X.transpose(0, 3, 1, 2),), {"bottom_cropping": 2, "target_height": 4,
                                                     "left_cropping": 1, "target_width": 6,
                                                     "data_format": "channels_first"}),
    "extract_patches": ((X, (3, 3), (2, 2)), {"padding": "same"}),
    "extract_patches_dilated": ((X, 2, 1), {"dilation_rate": 2}),
    "extract_patches_3d": ((VOLUMES, 3), {}),
    "extract_patches_3d_via_size": ((VOLUMES[0], (2, 3, 3)), {}),
    "ssim": ((Y, Z), {}),
    "ssim_unbatched": ((Y[0], Z[0]), {"max_val": 2.0, "filter_size": 7}),
}


def _op(case):
    name = case
    for suffix in ("_cf", "_nearest", "_crop", "_pad", "_antialias", "_unbatched", "_batch",
                   "_dilated", "_via_size"):
        name = name.removesuffix(suffix)
    return name


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_match_keras(case):
    args, kwargs = CASES[case]
    name = _op(case)
    got = np.asarray(getattr(ops.image, name)(*args, **kwargs))
    expected = np.asarray(getattr(K, name)(*args, **kwargs))
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)


def test_all_keras_image_ops_exist_and_are_flattened_into_ops():
    names = sorted(n for n in dir(K) if not n.startswith("_"))
    assert sorted(ops.image.__all__) == names
    for name in names:
        assert getattr(ops, name) is getattr(ops.image, name)


def test_elastic_transform_is_seeded_and_keeps_shape_and_dtype():
    a = np.asarray(ops.image.elastic_transform(X, seed=1))
    assert a.shape == np.asarray(K.elastic_transform(X, seed=1)).shape and a.dtype == X.dtype
    np.testing.assert_array_equal(a, np.asarray(ops.image.elastic_transform(X, seed=1)))
    assert not np.array_equal(a, np.asarray(ops.image.elastic_transform(X, seed=2)))
    assert not np.allclose(a, X)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda x: ops.image.resize(x, (4, 4)), (None, 4, 4, 3)),
    (lambda x: ops.image.extract_patches(x, 2), (None, 4, 5, 12)),
    (lambda x: ops.image.ssim(x, x), (None,)),
    (lambda x: ops.image.sobel_edges(x), (None, 8, 10, 3, 2)),
    (lambda x: ops.image.crop_images(x, 1, 1, target_height=3, target_width=4), (None, 3, 4, 3)),
])
def test_symbolic_tensors_record_the_op(call, expected):
    assert call(kk.Input((8, 10, 3))).shape == expected


@pytest.mark.parametrize(("call", "match"), [
    (lambda: ops.image.resize(np.ones((4, 4)), (2, 2)), "resize.*rank 3"),
    (lambda: ops.image.resize(X, (2, 2), interpolation="area"), "interpolation"),
    (lambda: ops.image.affine_transform(X, T, fill_mode="edge"), "fill_mode"),
    (lambda: ops.image.rgb_to_hsv(X.astype("int32")), "float dtype"),
    (lambda: ops.image.pad_images(X, 1, 1), "exactly two of top_padding"),
    (lambda: ops.image.crop_images(X, 6, 0, target_height=5, target_width=2), "bottom_cropping"),
    (lambda: ops.image.map_coordinates(X, COORDS, 1), "one row per input axis"),
    (lambda: ops.image.perspective_transform(X, START[:3], END[:3]), "start_points shape"),
])
def test_errors_name_the_op_and_the_expected_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
