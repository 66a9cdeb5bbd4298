"""`RandomFlip`: flips each image horizontally and/or vertically with probability 1/2."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy
from kernelkit.registry import register_builtin

__all__ = ["RandomFlip"]

HORIZONTAL, VERTICAL = "horizontal", "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


@register_builtin("keras.layers")
class RandomFlip(BaseImagePreprocessingLayer):
    """Randomly flips images in training (each image with probability 1/2).

    With `"horizontal_and_vertical"` one draw decides both flips of an image. At inference
    (`training=False`) the layer only casts to the compute dtype. Dict inputs may carry
    `"bounding_boxes"` (`{"boxes", "labels"}`, in `bounding_box_format`), flipped with
    their images.

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"` (default).
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> image = np.arange(4.0).reshape(1, 2, 2, 1)
        >>> out = RandomFlip("horizontal", seed=0)(image)
        >>> out.ravel().tolist() in ([0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 3.0, 2.0])
        True
    """

    _GEOMETRIC = True

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        modes = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)
        if mode not in modes:
            raise ValueError(
                f"{self._who}: unknown `mode`. Expected one of {modes}. Received: mode={mode!r}."
            )
        self.mode = mode
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        return {"flips": jax.random.uniform(key, (images.shape[0], 1, 1, 1)) <= 0.5}

    def warp(self, images, transformation, interpolation):
        flips = transformation["flips"]
        h = images.ndim + self._height_axis
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = jnp.where(flips, jnp.flip(images, axis=h + 1), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = jnp.where(flips, jnp.flip(images, axis=h), images)
        return images

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        return self.warp(images, transformation, None)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        """Flips `{"boxes", "labels"}` with their images (boxes in `bounding_box_format`)."""
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._image_size_of(images_shape)
        size = jnp.array([width, height, width, height], jnp.float32)
        rel = to_xyxy(bounding_boxes["boxes"], self.bounding_box_format, height, width) / size
        flips = transformation["flips"][:, :, :, 0]  # (batch, 1, 1)
        x1, y1, x2, y2 = (rel[..., i:i + 1] for i in range(4))
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            rel = jnp.where(flips, jnp.concatenate([1 - x2, y1, 1 - x1, y2], axis=-1), rel)
        x1, y1, x2, y2 = (rel[..., i:i + 1] for i in range(4))
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            rel = jnp.where(flips, jnp.concatenate([x1, 1 - y2, x2, 1 - y1], axis=-1), rel)
        # Keras clips the relative boxes with the pixel bounds: only empty boxes change
        rel, labels = clip_boxes(rel, bounding_boxes["labels"], height, width)
        boxes = from_xyxy(rel * size, self.bounding_box_format, height, width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
