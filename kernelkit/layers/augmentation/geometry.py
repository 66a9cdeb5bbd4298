"""Image geometry on `jax.numpy`: affine and perspective warps, resizing, cropping and padding.

The one home of the image-space arithmetic the augmentation layers and `kernelkit.ops.image`
share. Images are rank 3 `(height, width, channels)` or rank 4 `(batch, height, width,
channels)` (or channels first); every function is pure JAX, so it traces into a jitted step.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

__all__ = [
    "AFFINE_INTERPOLATIONS",
    "FILL_MODES",
    "RESIZE_INTERPOLATIONS",
    "affine_matrix",
    "affine_transform",
    "aspect_window",
    "homography_matrix",
    "perspective_transform",
    "resize",
    "to_channels_last",
]

AFFINE_INTERPOLATIONS = {"nearest": 0, "bilinear": 1}  # name -> spline order
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def to_channels_last(images, data_format: str, batched: bool = True):
    """Moves the channel axis last (a no-op for `"channels_last"`).

    Example:
        >>> import jax.numpy as jnp
        >>> to_channels_last(jnp.zeros((2, 3, 4, 5)), "channels_first").shape
        (2, 4, 5, 3)
    """
    if data_format == "channels_last":
        return images
    return jnp.moveaxis(images, 1 if batched else 0, -1)


def _from_channels_last(images, data_format: str, batched: bool = True):
    if data_format == "channels_last":
        return images
    return jnp.moveaxis(images, -1, 1 if batched else 0)


def _check_choice(who: str, arg: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(
            f"{who}: unknown `{arg}`. Expected one of {tuple(choices)}. "
            f"Received: {arg}={value!r}."
        )


def _check_rank(who: str, images, ranks=(3, 4), arg: str = "images") -> None:
    if len(images.shape) not in ranks:
        raise ValueError(
            f"{who}: invalid {arg} rank. Expected rank 3 (a single image) or 4 (a batch of "
            f"images). Received: {arg}.shape={tuple(images.shape)}."
        )


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0, data_format="channels_last", who="affine_transform"):
    """Warps images by projective rows `[a0, a1, a2, b0, b1, b2, c0, c1]` (output -> input).

    Output pixel `(x, y)` samples the input at `(a0 x + a1 y + a2, b0 x + b1 y + b2)`; `c0`
    and `c1` are ignored, as on Keras's JAX backend.

    Args:
        images: Rank 3 or 4 images.
        transform: One row of 8 numbers, or one row per image `(batch, 8)`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: How points outside the image are filled: `"constant"`, `"nearest"`,
            `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` or `"channels_first"`.
        who: The caller named in errors.

    Returns:
        The warped images, shaped like `images`.

    Example:
        >>> import jax.numpy as jnp
        >>> image = jnp.arange(9.0).reshape(3, 3, 1)
        >>> shift = jnp.array([1.0, 0, 1, 0, 1, 0, 0, 0])  # sample one pixel to the right
        >>> affine_transform(image, shift)[..., 0].tolist()[0]
        [1.0, 2.0, 0.0]
    """
    _check_choice(who, "interpolation", interpolation, AFFINE_INTERPOLATIONS)
    _check_choice(who, "fill_mode", fill_mode, FILL_MODES)
    _check_rank(who, images)
    transform = jnp.asarray(transform)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError(
            f"{who}: invalid transform shape. Expected (8,) or (batch, 8). Received: "
            f"transform.shape={tuple(transform.shape)}."
        )
    batched = images.ndim == 4
    x = to_channels_last(images if batched else images[None], data_format)
    t = jnp.broadcast_to(transform if transform.ndim == 2 else transform[None], (x.shape[0], 8))
    height, width = x.shape[1], x.shape[2]
    rows, cols = jnp.meshgrid(jnp.arange(height), jnp.arange(width), indexing="ij")
    order = AFFINE_INTERPOLATIONS[interpolation]

    def warp(image, row):  # image (height, width, channels)
        x_in = row[0] * cols + row[1] * rows + row[2]
        y_in = row[3] * cols + row[4] * rows + row[5]

        def channel(plane):
            return jax.scipy.ndimage.map_coordinates(plane, [y_in, x_in], order=order,
                                                     mode=fill_mode, cval=fill_value)

        return jax.vmap(channel, in_axes=-1, out_axes=-1)(image)

    out = jax.vmap(warp)(x, t.astype(jnp.promote_types(x.dtype, jnp.float32)))
    out = _from_channels_last(out.astype(x.dtype), data_format)
    return out if batched else out[0]


def affine_matrix(angle, translate_x, translate_y, scale, shear_x, shear_y, height, width,
                  center_x=0.5, center_y=0.5):
    """The `(batch, 8)` rows of a rotation/shear/scale/translation about a relative center.

    Angles are in degrees (shears too: the shear factor is `tan(shear)`); translations are in
    pixels; `(center_x, center_y)` is relative to the image (0.5 is the middle).

    Example:
        >>> import jax.numpy as jnp
        >>> z, o = jnp.zeros(1), jnp.ones(1)
        >>> affine_matrix(z, z, z, o, z, z, 4, 4).tolist()
        [[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
    """
    radians = math.pi / 180.0
    angle = jnp.asarray(angle, jnp.float32) * radians
    cx = center_x * (jnp.asarray(width, angle.dtype) - 1)
    cy = center_y * (jnp.asarray(height, angle.dtype) - 1)
    cos, sin = jnp.cos(angle), jnp.sin(angle)
    shx = jnp.tan(jnp.asarray(shear_x, angle.dtype) * radians)
    shy = jnp.tan(jnp.asarray(shear_y, angle.dtype) * radians)
    a0 = scale * (cos + shx * sin)
    a1 = scale * (-sin + shx * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (shy * cos + sin)
    b1 = scale * (shy * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = jnp.zeros_like(a0)
    return jnp.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=-1)


def homography_matrix(start_points, end_points):
    """The 8 projective coefficients mapping `end_points` to `start_points` (`(..., 4, 2)`).

    Example:
        >>> import jax.numpy as jnp
        >>> square = jnp.array([[0.0, 0], [1, 0], [0, 1], [1, 1]])
        >>> [round(v, 4) + 0.0 for v in homography_matrix(square, square).tolist()]
        [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    """
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = jnp.zeros_like(ex), jnp.ones_like(ex)
    x_rows = jnp.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = jnp.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    a = jnp.concatenate([x_rows, y_rows], axis=-2)  # (..., 8, 8)
    b = jnp.concatenate([sx, sy], axis=-1)[..., None]
    return jnp.linalg.solve(a, b)[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0.0, data_format="channels_last",
                          who="perspective_transform"):
    """Warps images so the quadrilateral `start_points` lands on `end_points`.

    Args:
        images: Rank 3 or 4 images.
        start_points: Corners `(4, 2)` or `(batch, 4, 2)`, as `(x, y)` pixels.
        end_points: Where those corners go, shaped like `start_points`.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: The value of points that come from outside the image.
        data_format: `"channels_last"` or `"channels_first"`.
        who: The caller named in errors.

    Returns:
        The warped images, shaped like `images`.

    Example:
        >>> import jax.numpy as jnp
        >>> corners = jnp.array([[0.0, 0], [2, 0], [0, 2], [2, 2]])
        >>> image = jnp.ones((3, 3, 1))
        >>> bool((perspective_transform(image, corners, corners) == image).all())
        True
    """
    _check_choice(who, "interpolation", interpolation, AFFINE_INTERPOLATIONS)
    _check_rank(who, images)
    start_points, end_points = jnp.asarray(start_points), jnp.asarray(end_points)
    for arg, points in (("start_points", start_points), ("end_points", end_points)):
        if points.ndim not in (2, 3) or points.shape[-2:] != (4, 2):
            raise ValueError(
                f"{who}: invalid {arg} shape. Expected (4, 2) for one image or (batch, 4, 2). "
                f"Received: {arg}.shape={tuple(points.shape)}."
            )
    if start_points.shape != end_points.shape:
        raise ValueError(
            f"{who}: start_points and end_points differ in shape. Expected equal shapes. "
            f"Received: start_points.shape={tuple(start_points.shape)}, "
            f"end_points.shape={tuple(end_points.shape)}."
        )
    batched = images.ndim == 4
    x = to_channels_last(images if batched else images[None], data_format)
    if start_points.ndim == 2:
        start_points, end_points = start_points[None], end_points[None]
    h = homography_matrix(start_points.astype(jnp.float32), end_points.astype(jnp.float32))
    h = jnp.broadcast_to(h, (x.shape[0], 8))
    rows, cols = jnp.meshgrid(jnp.arange(x.shape[1]), jnp.arange(x.shape[2]), indexing="ij")
    order = AFFINE_INTERPOLATIONS[interpolation]

    def warp(image, t):
        denominator = t[6] * cols + t[7] * rows + 1.0
        x_in = (t[0] * cols + t[1] * rows + t[2]) / denominator
        y_in = (t[3] * cols + t[4] * rows + t[5]) / denominator

        def channel(plane):
            return jax.scipy.ndimage.map_coordinates(plane, [y_in, x_in], order=order,
                                                     mode="constant", cval=fill_value)

        return jax.vmap(channel, in_axes=-1, out_axes=-1)(image)

    out = _from_channels_last(jax.vmap(warp)(x, h).astype(x.dtype), data_format)
    return out if batched else out[0]


def aspect_window(height, width, target_height, target_width, pad=False):
    """`(box_height, box_width, top, left)` of the centered window (or, with `pad`, the canvas)
    of the target aspect ratio.

    Example:
        >>> aspect_window(8, 10, 4, 4)
        (8, 8, 0, 1)
    """
    fit_height = int(float(width * target_height) / target_width)
    fit_width = int(float(height * target_width) / target_height)
    if pad:
        box_h, box_w = max(height, fit_height), max(width, fit_width)
        return box_h, box_w, int(float(box_h - height) / 2), int(float(box_w - width) / 2)
    box_h, box_w = max(min(height, fit_height), 1), max(min(width, fit_width), 1)
    return box_h, box_w, int(float(height - box_h) / 2), int(float(width - box_w) / 2)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
           data_format="channels_last", who="resize"):
    """Resizes images to `size = (height, width)`, optionally keeping the aspect ratio.

    Args:
        images: Rank 3 or 4 images.
        size: `(height, width)` of the output.
        interpolation: One of `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"`,
            `"lanczos5"`.
        antialias: Whether to filter when downsampling.
        crop_to_aspect_ratio: Crop the largest centered window of the target aspect first.
        pad_to_aspect_ratio: Pad the short side evenly (with `fill_value`) first.
        fill_mode: Only `"constant"` (the padding mode).
        fill_value: The padding value.
        data_format: `"channels_last"` or `"channels_first"`.
        who: The caller named in errors.

    Returns:
        The resized images (same dtype as `jax.image.resize` gives).

    Example:
        >>> import jax.numpy as jnp
        >>> resize(jnp.ones((4, 6, 3)), (2, 3)).shape
        (2, 3, 3)
    """
    _check_choice(who, "interpolation", interpolation, RESIZE_INTERPOLATIONS)
    _check_choice(who, "fill_mode", fill_mode, ("constant",))
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            f"{who}: both `crop_to_aspect_ratio` and `pad_to_aspect_ratio` are True. Expected "
            "at most one. Received: crop_to_aspect_ratio=True, pad_to_aspect_ratio=True."
        )
    if len(size) != 2:
        raise ValueError(
            f"{who}: invalid `size`. Expected (height, width). Received: size={size!r}."
        )
    _check_rank(who, images)
    batched = images.ndim == 4
    x = to_channels_last(images if batched else images[None], data_format)
    target_height, target_width = int(size[0]), int(size[1])
    height, width = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        box_h, box_w, top, left = aspect_window(height, width, target_height, target_width, False)
        x = x[:, top:top + box_h, left:left + box_w, :]
    elif pad_to_aspect_ratio:
        box_h, box_w, top, left = aspect_window(height, width, target_height, target_width, True)
        if top > 0:
            x = jnp.pad(x, ((0, 0), (top, top), (0, 0), (0, 0)), constant_values=fill_value)
        elif left > 0:
            x = jnp.pad(x, ((0, 0), (0, 0), (left, left), (0, 0)), constant_values=fill_value)
    out = jax.image.resize(x, (x.shape[0], target_height, target_width, x.shape[3]),
                           method=interpolation, antialias=antialias)
    out = _from_channels_last(out, data_format)
    return out if batched else out[0]
