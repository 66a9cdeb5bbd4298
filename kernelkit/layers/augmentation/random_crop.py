"""`RandomCrop`: crops a random window in training, the central aspect-ratio window otherwise."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy
from kernelkit.random import draw_seed
from kernelkit.registry import register_builtin

__all__ = ["RandomCrop"]


@register_builtin("keras.layers")
class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a `(height, width)` window at a random position (one position per batch).

    In training, when the images are larger than the window on both sides, a random window
    is cut (in the compute dtype); when they are not, the window starts at the central
    window of the target aspect ratio and is resized to `(height, width)`. At inference
    (`training=False`) the images pass through unchanged, as in Keras 3.

    Args:
        height: Output height.
        width: Output width.
        seed: Optional integer seed; a random one is drawn (and saved in the config) if None.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        name: Optional name of the layer.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: in training the
            boxes are cut to the window (scaled with a resize), clipped, and empty ones get
            label -1 (Keras shifts x by the top offset and y by the left one; this layer
            shifts each by its own).

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        `(batch, height, width, channels)` with the layer's `height` and `width`.

    Example:
        >>> import numpy as np
        >>> RandomCrop(2, 2, seed=0)(np.ones((3, 5, 5, 1))).shape
        (3, 2, 2, 1)
    """

    _GEOMETRIC = True
    _CAST_INPUTS = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height, self.width = height, width
        self._init_seed(draw_seed() if seed is None else seed)

    def _size(self, images):
        h = images.ndim + self._height_axis
        return h, images.shape[h], images.shape[h + 1]

    def _transformation(self, batch, training):
        _, height, width = self._size(batch)
        if training and height > self.height and width > self.width:
            kh, kw = jax.random.split(self.seed_stream())
            top = jax.random.randint(kh, (), 0, height - self.height + 1)
            left = jax.random.randint(kw, (), 0, width - self.width + 1)
            return {"top": top, "left": left}
        return None

    def warp(self, images, transformation, interpolation):
        h, height, width = self._size(images)
        if transformation is None:
            # Keras starts at the central window of the target aspect ratio, cuts up to
            # (height, width) from there and resizes whatever that leaves
            top, left = geometry.aspect_window(height, width, self.height, self.width)[2:]
            index = [slice(None)] * images.ndim
            index[h], index[h + 1] = slice(top, top + self.height), slice(left, left + self.width)
            images = images[tuple(index)]
            if images.shape[h] == self.height and images.shape[h + 1] == self.width:
                return images
            return geometry.resize(images, (self.height, self.width), interpolation,
                                   data_format=self.data_format, who=self._who)
        starts = [0] * images.ndim
        starts[h], starts[h + 1] = transformation["top"], transformation["left"]
        sizes = list(images.shape)
        sizes[h], sizes[h + 1] = self.height, self.width
        return jax.lax.dynamic_slice(images, starts, sizes)

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        return self.warp(images.astype(self.compute_dtype), transformation, "bilinear")

    def transform_segmentation_masks(self, masks, transformation, training=True):
        if not training:
            return masks
        return self.warp(jnp.asarray(masks), transformation, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        if not training:
            return bounding_boxes
        height, width = self._image_size_of(images_shape)
        boxes = to_xyxy(bounding_boxes["boxes"], self.bounding_box_format, height, width)
        if transformation is None:  # the central window warp() cuts, then resizes
            top, left = geometry.aspect_window(height, width, self.height, self.width)[2:]
            window_h, window_w = min(self.height, height - top), min(self.width, width - left)
        else:
            top, left = transformation["top"], transformation["left"]
            window_h, window_w = self.height, self.width
        start = jnp.stack([left, top, left, top]).astype(jnp.float32)
        boxes = jnp.clip(boxes - start, 0.0, jnp.array([window_w, window_h] * 2, jnp.float32))
        boxes = boxes * jnp.array([self.width / window_w, self.height / window_h] * 2,
                                  jnp.float32)
        boxes, labels = clip_boxes(boxes, bounding_boxes["labels"], self.height, self.width)
        boxes = from_xyxy(boxes, self.bounding_box_format, self.height, self.width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "seed": self.seed}
