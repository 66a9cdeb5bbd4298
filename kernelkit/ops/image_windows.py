"""Window ops of `keras.ops.image`: crop and pad to a box, extract patches, SSIM."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.filters import depthwise_filter, gaussian_kernel_1d
from kernelkit.layers.spatial_arguments import to_data_format
from kernelkit.ops.dispatch import keras_op

__all__ = ["crop_images", "extract_patches", "extract_patches_3d", "pad_images", "ssim"]


def _box(op, names, values, size):
    """Solves `start + target + end == size` for the one of the three left as None."""
    start, end, target = values
    if [start, end, target].count(None) != 1:
        raise ValueError(
            f"{op}: exactly two of {', '.join(names)} must be given. Expected one of them "
            f"None. Received: {names[0]}={start}, {names[1]}={end}, {names[2]}={target}."
        )
    if start is None:
        start = size - target - end if op == "crop_images" else target - end - size
    if end is None:
        end = size - target - start if op == "crop_images" else target - start - size
    if target is None:
        target = size - start - end if op == "crop_images" else size + start + end
    for name, value in zip(names, (start, end, target)):
        if value < 0:
            raise ValueError(
                f"{op}: `{name}` must be >= 0. Expected a box inside the image. Received: "
                f"{name}={value} for an image side of {size}."
            )
    return start, end, target


def _sides(op, images, data_format):
    images = jnp.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"{op}: invalid images rank. Expected rank 3 (a single image) or 4 (a batch of "
            f"images). Received: images.shape={tuple(images.shape)}."
        )
    fmt = to_data_format(op, data_format)
    h_axis = images.ndim - (3 if fmt == "channels_last" else 2)
    return images, h_axis


@keras_op
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Zero-pads images to a box; give two of each (top, bottom, height) and (left, right, width).

    Args:
        images: Rank 3 or 4 images.
        top_padding: Rows added above.
        left_padding: Columns added on the left.
        bottom_padding: Rows added below.
        right_padding: Columns added on the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The padded images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.pad_images(np.ones((2, 2, 1)), 1, 1, target_height=4, target_width=4).shape
        (4, 4, 1)
    """
    images, h = _sides("pad_images", images, data_format)
    top, bottom, _ = _box("pad_images", ("top_padding", "bottom_padding", "target_height"),
                          (top_padding, bottom_padding, target_height), images.shape[h])
    left, right, _ = _box("pad_images", ("left_padding", "right_padding", "target_width"),
                          (left_padding, right_padding, target_width), images.shape[h + 1])
    widths = [(0, 0)] * images.ndim
    widths[h], widths[h + 1] = (top, bottom), (left, right)
    return jnp.pad(images, widths)


@keras_op
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images to a box; give two of each (top, bottom, height) and (left, right, width).

    Args:
        images: Rank 3 or 4 images.
        top_cropping: Rows removed at the top.
        left_cropping: Columns removed on the left.
        bottom_cropping: Rows removed at the bottom.
        right_cropping: Columns removed on the right.
        target_height: Height of the output.
        target_width: Width of the output.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The cropped images.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.crop_images(np.ones((4, 4, 1)), 1, 1, target_height=2, target_width=2).shape
        (2, 2, 1)
    """
    images, h = _sides("crop_images", images, data_format)
    top, _, height = _box("crop_images", ("top_cropping", "bottom_cropping", "target_height"),
                          (top_cropping, bottom_cropping, target_height), images.shape[h])
    left, _, width = _box("crop_images", ("left_cropping", "right_cropping", "target_width"),
                          (left_cropping, right_cropping, target_width), images.shape[h + 1])
    index = [slice(None)] * images.ndim
    index[h], index[h + 1] = slice(top, top + height), slice(left, left + width)
    return images[tuple(index)]


def _patches(op, images, size, strides, dilation_rate, padding, data_format, rank):
    images = jnp.asarray(images)
    if images.ndim not in (rank + 1, rank + 2):
        raise ValueError(
            f"{op}: invalid input rank. Expected rank {rank + 1} (one item) or {rank + 2} (a "
            f"batch). Received: images.shape={tuple(images.shape)}."
        )
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    strides = size if not strides else (
        (strides,) * rank if isinstance(strides, int) else tuple(strides))
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else tuple(dilation_rate)
    if len(size) != rank or len(strides) != rank:
        raise ValueError(
            f"{op}: `size` and `strides` need {rank} entries. Expected {rank}-tuples or ints. "
            f"Received: size={size}, strides={strides}."
        )
    fmt = to_data_format(op, data_format)
    batched = images.ndim == rank + 2
    x = images if batched else images[None]
    if fmt == "channels_first":
        x = jnp.moveaxis(x, 1, -1)
    channels = x.shape[-1]
    depth = channels
    for s in size:
        depth *= s
    kernel = jnp.eye(depth, dtype=x.dtype).reshape(*size, channels, depth)
    spatial = "DHW"[-rank:]
    out = jax.lax.conv_general_dilated(
        x, kernel, strides, padding.upper(), rhs_dilation=dilation,
        dimension_numbers=(f"N{spatial}C", f"{spatial}IO", f"N{spatial}C"))
    if fmt == "channels_first":
        out = jnp.moveaxis(out, -1, 1)
    return out if batched else out[0]


@keras_op
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Extracts patches, flattened on the channel axis (3D patches when `size` has 3 entries).

    Args:
        images: `(height, width, channels)` or a batch of them (or volumes for 3D `size`).
        size: An int or a 2- or 3-tuple, the patch size.
        strides: Steps between patches; default `size` (no overlap).
        dilation_rate: Gap between the sampled pixels of one patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The patches, `(batch, rows, cols, patch_height * patch_width * channels)`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.extract_patches(np.ones((2, 20, 20, 3)), (5, 5)).shape
        (2, 4, 4, 75)
    """
    if not isinstance(size, int) and not isinstance(size, tuple | list):
        raise TypeError(
            "extract_patches: invalid `size`. Expected an int or a tuple. Received: "
            f"size of type {type(size).__name__}."
        )
    rank = 2 if isinstance(size, int) or len(size) == 2 else 3
    if not isinstance(size, int) and len(size) not in (2, 3):
        raise ValueError(
            "extract_patches: invalid `size`. Expected a tuple of 2 or 3 entries. Received: "
            f"size={size}."
        )
    return _patches("extract_patches", images, size, strides, dilation_rate, padding,
                    data_format, rank)


@keras_op
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Extracts 3D patches from volumes, flattened on the channel axis.

    Args:
        volumes: `(depth, height, width, channels)` or a batch of them.
        size: An int or a 3-tuple, the patch size.
        strides: Steps between patches; default `size`.
        dilation_rate: Gap between the sampled voxels of one patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        The patches, 4D (one volume) or 5D (a batch).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.image.extract_patches_3d(np.ones((10, 10, 10, 3)), 3).shape
        (3, 3, 3, 81)
    """
    return _patches("extract_patches_3d", volumes, size, strides, dilation_rate, padding,
                    data_format, 3)


@keras_op
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity of two images (or batches), averaged over pixels and channels.

    Args:
        image1: Rank 3 or 4 images.
        image2: Images shaped like `image1`.
        max_val: The dynamic range of the pixel values.
        filter_size: Size of the Gaussian window.
        filter_sigma: Standard deviation of the Gaussian window.
        k1: Stabilizer of the luminance term.
        k2: Stabilizer of the contrast term.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.

    Returns:
        One SSIM per image (a scalar for rank 3 inputs).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> x = np.random.default_rng(0).random((16, 16, 1)).astype("float32")
        >>> round(float(ops.image.ssim(x, x)), 4)
        1.0
    """
    a, b = jnp.asarray(image1), jnp.asarray(image2)
    for arg, x in (("image1", a), ("image2", b)):
        if x.ndim not in (3, 4):
            raise ValueError(
                f"ssim: invalid {arg} rank. Expected rank 3 (a single image) or 4 (a batch). "
                f"Received: {arg}.shape={tuple(x.shape)}."
            )
    dtype = a.dtype
    compute = jnp.promote_types(dtype, jnp.float32)
    a, b = a.astype(compute), b.astype(compute)
    unbatched = a.ndim == 3
    if unbatched:
        a, b = a[None], b[None]
    if to_data_format("ssim", data_format) == "channels_first":
        a, b = jnp.moveaxis(a, 1, -1), jnp.moveaxis(b, 1, -1)
    window = gaussian_kernel_1d(filter_size, filter_sigma, compute)
    kernel = jnp.outer(window, window)

    def local_mean(x):
        return depthwise_filter(x, kernel, padding="VALID")

    mu1, mu2 = local_mean(a), local_mean(b)
    var1 = local_mean(a * a) - mu1 * mu1
    var2 = local_mean(b * b) - mu2 * mu2
    cov = local_mean(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu1 * mu2 + c1) * (2 * cov + c2)) / ((mu1 ** 2 + mu2 ** 2 + c1)
                                                          * (var1 + var2 + c2))
    out = jnp.mean(ssim_map, axis=(1, 2, 3))
    return (out[0] if unbatched else out).astype(dtype)
