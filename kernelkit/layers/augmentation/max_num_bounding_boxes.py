"""`MaxNumBoundingBoxes`: pads or truncates the boxes of each image to a fixed count."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.registry import register_builtin

__all__ = ["MaxNumBoundingBoxes"]


@register_builtin("keras.layers")
class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Makes `bounding_boxes["boxes"]` `(batch, max_number, 4)` and `["labels"]` `(batch, max_number)`.

    Extra boxes are dropped and missing ones filled with `fill_value`; images, labels and
    masks pass through. Called on a dict with `"images"` and `"bounding_boxes"`.

    Args:
        max_number: The number of boxes per image.
        fill_value: The value of padded boxes and labels (default -1).

    Input shape:
        A dict with `"images"` and `"bounding_boxes"` (`{"boxes", "labels"}`).

    Output shape:
        The same dict with `max_number` boxes per image.

    Example:
        >>> import numpy as np
        >>> layer = MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
        >>> boxes = {"boxes": np.ones((1, 1, 4)), "labels": np.ones((1, 1))}
        >>> out = layer({"images": np.ones((1, 4, 4, 3)), "bounding_boxes": boxes})
        >>> out["bounding_boxes"]["labels"].tolist()
        [[1.0, -1.0, -1.0]]
    """

    _RANDOM = False

    def __init__(self, max_number, fill_value=-1, **kwargs):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        pad = max(self.max_number - boxes.shape[1], 0)
        boxes = jnp.pad(boxes[:, :self.max_number], ((0, 0), (0, pad), (0, 0)),
                        constant_values=self.fill_value)
        labels = jnp.pad(labels[:, :self.max_number], ((0, 0), (0, pad)),
                         constant_values=self.fill_value)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "max_number": self.max_number}
