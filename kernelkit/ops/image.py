"""image ops (`keras.ops.image`): resize, affine and perspective transforms, colour spaces, patches."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import colour, filters, geometry
from kernelkit.layers.augmentation.elastic import elastic_warp
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.layers.spatial_arguments import to_data_format
from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.image_windows import (
    crop_images,
    extract_patches,
    extract_patches_3d,
    pad_images,
    ssim,
)

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches",
    "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
    "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate",
    "sobel_edges", "ssim",
]

_SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic",
                                "tricubic", "lanczos3", "lanczos5")


def _images(op: str, images, float_only: bool = False):
    images = jnp.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{op}: invalid images rank. Expected rank 3 (a single image) or 4 (a batch of "
            f"images). Received: images.shape={tuple(images.shape)}."
        )
    if float_only and not jnp.issubdtype(images.dtype, jnp.floating):
        raise ValueError(
            f"{op}: invalid images dtype. Expected a float dtype. Received: "
            f"images.dtype={images.dtype}. Cast the images to float first."
        )
    return images


def _channel_axis(op: str, data_format) -> int:
    return -1 if to_data_format(op, data_format) == "channels_last" else -3


@keras_op
def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to grayscale (one channel); 1-channel images pass through.

    Args:
        images: Rank 3 or 4 images with 3 (or 1) channels.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        Grayscale images with one channel, in the input dtype.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.rgb_to_grayscale(np.ones((2, 2, 3))).shape
        (2, 2, 1)
    """
    images = _images("rgb_to_grayscale", images)
    axis = _channel_axis("rgb_to_grayscale", data_format)
    if images.shape[axis] not in (1, 3):
        raise ValueError(
            "rgb_to_grayscale: invalid channel size. Expected 3 (RGB) or 1 (grayscale) "
            f"channels. Received: images.shape={tuple(images.shape)}."
        )
    return colour.rgb_to_grayscale(images, axis)


@keras_op
def rgb_to_hsv(images, data_format=None):
    """Converts float RGB images in [0, 1] to HSV (hue as a fraction of the circle).

    Args:
        images: Rank 3 or 4 float images.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        HSV images, shaped like `images`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.rgb_to_hsv(np.array([[[0.0, 0.0, 1.0]]])).tolist()
        [[[0.6666666865348816, 1.0, 1.0]]]
    """
    images = _images("rgb_to_hsv", images, float_only=True)
    return colour.rgb_to_hsv(images, _channel_axis("rgb_to_hsv", data_format))


@keras_op
def hsv_to_rgb(images, data_format=None):
    """Converts float HSV images back to RGB.

    Args:
        images: Rank 3 or 4 float images.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        RGB images, shaped like `images`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.hsv_to_rgb(np.array([[[0.0, 1.0, 1.0]]])).tolist()
        [[[1.0, 0.0, 0.0]]]
    """
    images = _images("hsv_to_rgb", images, float_only=True)
    return colour.hsv_to_rgb(images, _channel_axis("hsv_to_rgb", data_format))


@keras_op
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size`, optionally cropping or padding to keep the aspect ratio.

    Args:
        images: Rank 3 or 4 images.
        size: `(height, width)` of the output.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"` or `"lanczos5"`.
        antialias: Whether to filter when downsampling.
        crop_to_aspect_ratio: Crop the largest centered window of the target aspect first.
        pad_to_aspect_ratio: Pad the short side evenly with `fill_value` first.
        fill_mode: Only `"constant"`.
        fill_value: The padding value.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The resized images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.resize(np.ones((2, 8, 8, 3)), (4, 4)).shape
        (2, 4, 4, 3)
    """
    return geometry.resize(jnp.asarray(images), size, interpolation, antialias,
                           crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, fill_value,
                           to_data_format("resize", data_format))


@keras_op
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective rows `[a0, a1, a2, b0, b1, b2, c0, c1]` (output -> input points).

    Args:
        images: Rank 3 or 4 images.
        transform: A row of 8 numbers or `(batch, 8)` rows; `c0`, `c1` are ignored.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The transformed images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> identity = np.array([1.0, 0, 0, 0, 1, 0, 0, 0])
        >>> ops.image.affine_transform(np.ones((4, 4, 1)), identity).shape
        (4, 4, 1)
    """
    return geometry.affine_transform(jnp.asarray(images), transform, interpolation, fill_mode,
                                     fill_value, to_data_format("affine_transform", data_format))


@keras_op
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that the corners `start_points` move to `end_points`.

    Args:
        images: Rank 3 or 4 images.
        start_points: `(4, 2)` or `(batch, 4, 2)` corner pixels `(x, y)`.
        end_points: Their destinations, shaped like `start_points`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: The value of points that come from outside the image.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The warped images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> corners = np.array([[0.0, 0], [3, 0], [0, 3], [3, 3]])
        >>> ops.image.perspective_transform(np.ones((4, 4, 1)), corners, corners).shape
        (4, 4, 1)
    """
    return geometry.perspective_transform(
        jnp.asarray(images), start_points, end_points, interpolation, fill_value,
        to_data_format("perspective_transform", data_format))


@keras_op
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (one row of coordinates per input axis).

    Args:
        inputs: An array of any rank.
        coordinates: `(inputs.ndim, *output_shape)` sample positions.
        order: 0 (nearest) or 1 (linear).
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: The value of `"constant"` filling.

    Returns:
        The samples, shaped `coordinates.shape[1:]`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.map_coordinates(np.arange(4.0), np.array([[0.5, 2.0]]), 1).tolist()
        [0.5, 2.0]
    """
    inputs, coordinates = jnp.asarray(inputs), jnp.asarray(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError(
            "map_coordinates: `coordinates` must hold one row per input axis. Expected shape "
            f"({inputs.ndim}, ...). Received: inputs.shape={tuple(inputs.shape)}, "
            f"coordinates.shape={tuple(coordinates.shape)}."
        )
    if fill_mode not in geometry.FILL_MODES:
        raise ValueError(
            f"map_coordinates: unknown `fill_mode`. Expected one of {geometry.FILL_MODES}. "
            f"Received: fill_mode={fill_mode!r}."
        )
    if order not in (0, 1):
        raise ValueError(
            f"map_coordinates: invalid `order`. Expected 0 or 1. Received: order={order!r}."
        )
    return jax.scipy.ndimage.map_coordinates(inputs, list(coordinates), order, fill_mode,
                                             fill_value)


@keras_op
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs images with a Gaussian kernel (zero `"same"` padding).

    Args:
        images: Rank 3 or 4 float images.
        kernel_size: `(size_x, size_y)`.
        sigma: `(sigma_x, sigma_y)`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The blurred images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.gaussian_blur(np.ones((1, 5, 5, 1), "float32")).shape
        (1, 5, 5, 1)
    """
    images = _images("gaussian_blur", images)
    return filters.gaussian_blur(images, kernel_size, sigma,
                                 to_data_format("gaussian_blur", data_format))


@keras_op
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Distorts images by a smoothed random displacement field.

    Args:
        images: Rank 3 or 4 float images.
        alpha: Scale of the displacement, in pixels.
        sigma: Standard deviation of the Gaussian smoothing the field.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: The value of `"constant"` filling.
        seed: An integer seed, a JAX key, or `None` (the global seed).
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The distorted images, in the input dtype.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.elastic_transform(np.ones((8, 8, 1), "float32"), seed=0).shape
        (8, 8, 1)
    """
    images = _images("elastic_transform", images)
    if interpolation not in geometry.AFFINE_INTERPOLATIONS or fill_mode not in geometry.FILL_MODES:
        raise ValueError(
            "elastic_transform: unknown `interpolation` or `fill_mode`. Expected one of "
            f"{tuple(geometry.AFFINE_INTERPOLATIONS)} and one of {geometry.FILL_MODES}. "
            f"Received: interpolation={interpolation!r}, fill_mode={fill_mode!r}."
        )
    key = seed_stream(seed)() if isinstance(seed, int) or seed is None else seed
    dtype = jnp.promote_types(images.dtype, jnp.float32)
    return elastic_warp(images, key, jnp.asarray(alpha, dtype), jnp.asarray(sigma, dtype),
                        int(6 * sigma) | 1, interpolation, fill_mode, fill_value,
                        to_data_format("elastic_transform", data_format))


@keras_op
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Scales and translates `images` on `spatial_dims` (`jax.image.scale_and_translate`).

    Args:
        images: An array.
        output_shape: The full output shape.
        scale: One scale per spatial dimension.
        translation: One translation per spatial dimension.
        spatial_dims: The axes that are resampled.
        method: `"linear"`/`"bilinear"`/`"trilinear"`, `"cubic"`/`"bicubic"`/`"tricubic"`,
            `"lanczos3"` or `"lanczos5"`.
        antialias: Whether to filter when downsampling.

    Returns:
        The resampled array, shaped `output_shape`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.scale_and_translate(np.ones((4, 4)), (2, 2), np.array([0.5, 0.5]),
        ...                               np.zeros(2), (0, 1), "linear").shape
        (2, 2)
    """
    if method not in _SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(
            "scale_and_translate: unknown `method`. Expected one of "
            f"{_SCALE_AND_TRANSLATE_METHODS}. Received: method={method!r}."
        )
    return jax.image.scale_and_translate(jnp.asarray(images), tuple(output_shape), spatial_dims,
                                         jnp.asarray(scale), jnp.asarray(translation), method,
                                         antialias)


@keras_op
def sobel_edges(images, data_format=None):
    """Sobel gradients of a batch of images, stacked on a new last axis as `[dy, dx]`.

    Args:
        images: Rank 4 images.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        An array shaped `images.shape + (2,)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.sobel_edges(np.ones((1, 4, 4, 3), "float32")).shape
        (1, 4, 4, 3, 2)
    """
    images = jnp.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            "sobel_edges: invalid images rank. Expected rank 4 (a batch of images). "
            f"Received: images.shape={tuple(images.shape)}."
        )
    return filters.sobel_edges(images, to_data_format("sobel_edges", data_format))
