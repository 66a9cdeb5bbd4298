"""`Resizing`: resizes images to a fixed height and width, optionally keeping the aspect ratio."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy
from kernelkit.registry import register_builtin

__all__ = ["Resizing", "saturate_cast"]


def saturate_cast(images, dtype):
    """Casts float `images` to `dtype`, rounding and clipping to its range for integer types.

    Example:
        >>> import jax.numpy as jnp
        >>> saturate_cast(jnp.array([-3.2, 10.6, 300.0]), "uint8").tolist()
        [0, 11, 255]
    """
    dtype = jnp.dtype(dtype)
    if jnp.issubdtype(dtype, jnp.integer):
        info = jnp.iinfo(dtype)
        images = jnp.clip(jnp.round(images), info.min, info.max)
    return images.astype(dtype)


@register_builtin("keras.layers")
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)` (integer images keep their dtype, rounded).

    Args:
        height: Output height.
        width: Output width.
        interpolation: `"bilinear"` (default), `"nearest"`, `"bicubic"`, `"lanczos3"` or
            `"lanczos5"`.
        crop_to_aspect_ratio: If True, crop the largest centered window of the target aspect
            ratio before resizing, so the image is not distorted.
        pad_to_aspect_ratio: If True, pad the short side evenly with `fill_value` instead.
        fill_mode: Only `"constant"`.
        fill_value: The padding value of `pad_to_aspect_ratio`.
        antialias: Whether to filter when downsampling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs; the boxes are
            scaled (and shifted by the crop or padding) with the images and clipped to them.
            Boxes that are all 0 or all -1 (padding) stay 0.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        `(batch, height, width, channels)` with the layer's `height` and `width`.

    Example:
        >>> import numpy as np
        >>> Resizing(2, 2)(np.ones((1, 4, 6, 3))).shape
        (1, 2, 2, 3)
        >>> layer = Resizing(4, 4, bounding_box_format="xyxy")
        >>> boxes = {"boxes": np.array([[0.0, 0.0, 4.0, 2.0]]), "labels": np.array([1])}
        >>> out = layer({"images": np.ones((2, 8, 3)), "bounding_boxes": boxes})
        >>> out["bounding_boxes"]["boxes"].tolist()
        [[0.0, 0.0, 2.0, 4.0]]
    """

    _RANDOM = False
    _GEOMETRIC = True
    _CAST_INPUTS = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if interpolation not in geometry.RESIZE_INTERPOLATIONS:
            raise ValueError(
                f"{self._who}: unknown `interpolation`. Expected one of "
                f"{geometry.RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation!r}."
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"{self._who}: `crop_to_aspect_ratio` and `pad_to_aspect_ratio` are both True. "
                "Expected at most one. Received: crop_to_aspect_ratio=True, "
                "pad_to_aspect_ratio=True."
            )
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def warp(self, images, transformation, interpolation):
        dtype = images.dtype
        x = images if jnp.issubdtype(dtype, jnp.floating) else images.astype(self.compute_dtype)
        out = geometry.resize(x, (self.height, self.width), interpolation, self.antialias,
                              self.crop_to_aspect_ratio, self.pad_to_aspect_ratio,
                              self.fill_mode, self.fill_value, self.data_format, self._who)
        return out if out.dtype == dtype else saturate_cast(out, dtype)

    def transform_images(self, images, transformation, training=True):
        return self.warp(images, transformation, self.interpolation)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.warp(masks, transformation, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        raw = bounding_boxes["boxes"]
        padding = jnp.all(raw == -1, axis=-1) | jnp.all(raw == 0, axis=-1)
        height, width = self._image_size_of(images_shape)
        boxes = to_xyxy(raw, self.bounding_box_format, height, width)
        scale, offset = self._box_scale_and_offset(height, width)
        boxes = boxes * scale - offset
        boxes, labels = clip_boxes(boxes, bounding_boxes["labels"], self.height, self.width)
        boxes = jnp.where(padding[..., None], 0.0, boxes)
        boxes = from_xyxy(boxes, self.bounding_box_format, self.height, self.width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def _box_scale_and_offset(self, height, width):
        """`xyxy` factors and offsets (each of 4) mapping input pixels onto output pixels."""
        f32 = jnp.float32
        height, width = jnp.asarray(height, f32), jnp.asarray(width, f32)
        sy, sx = jnp.asarray(self.height / height, f32), jnp.asarray(self.width / width, f32)
        if self.pad_to_aspect_ratio:
            ratio = jnp.minimum(sy, sx)
            sx = sy = ratio
            dx = -((self.width - width * ratio) // 2)
            dy = -((self.height - height * ratio) // 2)
        elif self.crop_to_aspect_ratio:
            source = width / height
            wider = source > self.width / self.height
            new_width = jnp.where(wider, self.height * source, self.width)
            new_height = jnp.where(wider, self.height, self.width / source)
            sx, sy = new_width / width, new_height / height
            dx, dy = (new_width - self.width) // 2, (new_height - self.height) // 2
        else:
            dx = dy = jnp.zeros((), f32)
        return jnp.stack([sx, sy, sx, sy]), jnp.stack([dx, dy, dx, dy])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}
