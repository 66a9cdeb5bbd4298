"""`CenterCrop`: crops the central window of images (resizing when they are too small)."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy
from kernelkit.registry import register_builtin

__all__ = ["CenterCrop"]


@register_builtin("keras.layers")
class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` window, in training and inference alike.

    Images smaller than the window on either side are instead cropped to the target aspect
    ratio and resized (bilinear), as Keras's `smart_resize` does. Outputs are in the compute
    dtype.

    Args:
        height: Output height.
        width: Output width.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs; the boxes are
            cut to the window (and scaled with a resize) and clipped to the output.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        `(batch, height, width, channels)` with the layer's `height` and `width`.

    Example:
        >>> import numpy as np
        >>> CenterCrop(2, 2)(np.arange(16.0).reshape(4, 4, 1))[..., 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    _RANDOM = False
    _GEOMETRIC = True

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = height, width

    def warp(self, images, transformation, interpolation):
        h = images.ndim + self._height_axis
        height, width = images.shape[h], images.shape[h + 1]
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            index = [slice(None)] * images.ndim
            index[h], index[h + 1] = slice(top, top + self.height), slice(left, left + self.width)
            return images[tuple(index)]
        return geometry.resize(images, (self.height, self.width), interpolation,
                               crop_to_aspect_ratio=True, data_format=self.data_format,
                               who=self._who)

    def transform_images(self, images, transformation, training=True):
        return self.warp(images, transformation, "bilinear")

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.warp(masks, transformation, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        height, width = self._image_size_of(images_shape)
        boxes = to_xyxy(bounding_boxes["boxes"], self.bounding_box_format, height, width)
        if height >= self.height and width >= self.width:
            top, left = int((height - self.height) / 2), int((width - self.width) / 2)
            window_h, window_w = self.height, self.width
        else:  # the aspect-ratio window, resized to (height, width) afterwards
            window_h, window_w, top, left = geometry.aspect_window(height, width, self.height,
                                                                   self.width)
        start = jnp.array([left, top, left, top], jnp.float32)
        boxes = jnp.clip(boxes, start, start + jnp.array([window_w, window_h] * 2)) - start
        boxes = boxes * jnp.array([self.width / window_w, self.height / window_h] * 2,
                                  jnp.float32)
        boxes, labels = clip_boxes(boxes, bounding_boxes["labels"], self.height, self.width)
        boxes = from_xyxy(boxes, self.bounding_box_format, self.height, self.width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
