"""`AffineAugmentation`: the base of the random affine layers (rotation, zoom, translation, shear)."""

from __future__ import annotations

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy

__all__ = ["AffineAugmentation"]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


class AffineAugmentation(BaseImagePreprocessingLayer):
    """Warps each image by a random affine matrix; the identity at inference.

    Subclasses draw the `(batch, 8)` matrix rows in `get_random_transformation` (returned
    under `"matrix"`) and say how boxes move in `move_boxes`. Dict inputs may carry
    `"bounding_boxes"` (in `bounding_box_format`): in training they move with the same draw
    as their images, are clipped to the image, and boxes left empty get label -1.

    Args:
        fill_mode: How points outside the image are filled: `"reflect"` (default),
            `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_value: The value of `"constant"` filling.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs.

    Example:
        >>> import numpy as np
        >>> class Identity(AffineAugmentation):
        ...     def get_random_transformation(self, images, key):
        ...         return {"matrix": np.array([[1.0, 0, 0, 0, 1, 0, 0, 0]])}
        >>> Identity()(np.ones((1, 3, 3, 1))).shape
        (1, 3, 3, 1)
    """

    _GEOMETRIC = True

    def __init__(self, fill_mode="reflect", interpolation="bilinear", fill_value=0.0, seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        for arg, value, choices in (("fill_mode", fill_mode, FILL_MODES),
                                    ("interpolation", interpolation, ("nearest", "bilinear"))):
            if value not in choices:
                raise ValueError(
                    f"{self._who}: unknown `{arg}`. Expected one of {choices}. "
                    f"Received: {arg}={value!r}."
                )
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self._init_seed(seed)

    def _image_size(self, images):
        h = images.ndim + self._height_axis
        return images.shape[h], images.shape[h + 1]

    def warp(self, images, transformation, interpolation):
        return geometry.affine_transform(images, transformation["matrix"], interpolation,
                                         self.fill_mode, self.fill_value, self.data_format,
                                         self._who)

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        return self.warp(images, transformation, self.interpolation)

    def move_boxes(self, boxes, transformation, height, width):
        """Moves `xyxy` pixel boxes `(batch, n, 4)` as `transformation` moves the image."""
        raise NotImplementedError(f"{type(self).__name__} does not define move_boxes().")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._image_size_of(images_shape)
        boxes = to_xyxy(bounding_boxes["boxes"], self.bounding_box_format, height, width)
        boxes = self.move_boxes(boxes, transformation, height, width)
        boxes, labels = clip_boxes(boxes, bounding_boxes["labels"], height, width)
        boxes = from_xyxy(boxes, self.bounding_box_format, height, width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
