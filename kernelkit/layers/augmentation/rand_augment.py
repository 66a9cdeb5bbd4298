"""`RandAugment`: applies `num_ops` augmentations drawn at random from a fixed menu."""

from __future__ import annotations

import jax

from kernelkit.layers.augmentation.augmentation_menu import (
    apply_choice,
    apply_choice_to_boxes,
    apply_choice_to_masks,
    make_menu,
)
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.layers.augmentation.bounding_boxes import from_xyxy, to_xyxy
from kernelkit.registry import register_builtin

__all__ = ["RandAugment"]

_ORDER = ("random_shear", "random_translation", "random_rotation", "random_brightness",
          "random_color_degeneration", "random_contrast", "random_sharpness",
          "random_posterization", "solarization", "auto_contrast", "equalization")


@register_builtin("keras.layers")
class RandAugment(BaseImagePreprocessingLayer):
    """Applies `num_ops` augmentations in a row, each drawn (for the batch) among 11 kinds.

    The kinds are shear, translation, rotation, brightness, colour degeneration, contrast,
    sharpness, posterization, solarization, auto-contrast and equalization, all at strength
    `factor`. The identity (cast) at inference. In dict inputs, segmentation masks and
    `"bounding_boxes"` (in `bounding_box_format`) follow the geometric choices.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        num_ops: How many augmentations to apply (default 2).
        factor: A number `f` in [0, 1] (strength `(0, f)`) or a pair; default 0.5.
        interpolation: `"bilinear"` (default) or `"nearest"`, for the geometric ones.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandAugment(seed=0)(np.full((2, 8, 8, 3), 100.0)).shape
        (2, 8, 8, 3)
    """

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.interpolation = interpolation
        self._init_seed(seed)
        self.menu = make_menu(_ORDER, self.factor, value_range, interpolation, seed,
                              self.data_format, self.dtype_policy)
        for layer in self.menu:  # boxes travel through the menu as xyxy pixels
            layer.bounding_box_format = "xyxy"

    def get_random_transformation(self, images, key):
        k_idx, k_ops = jax.random.split(key)
        return {"layer_idxes": jax.random.randint(k_idx, (self.num_ops,), 0, len(self.menu)),
                "keys": jax.random.split(k_ops, self.num_ops)}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        for i in range(self.num_ops):
            images = apply_choice(self.menu, transformation["layer_idxes"][i], images,
                                  transformation["keys"][i])
        return images

    def transform_segmentation_masks(self, masks, transformation, training=True):
        if transformation is None:
            return masks
        for i in range(self.num_ops):
            masks = apply_choice_to_masks(self.menu, transformation["layer_idxes"][i], masks,
                                          transformation["keys"][i])
        return masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        if transformation is None:
            return bounding_boxes
        height, width = self._image_size_of(images_shape)
        out = {**bounding_boxes, "boxes": to_xyxy(bounding_boxes["boxes"],
                                                  self.bounding_box_format, height, width)}
        for i in range(self.num_ops):
            out = apply_choice_to_boxes(self.menu, transformation["layer_idxes"][i], out,
                                        images_shape, transformation["keys"][i])
        return {**out, "boxes": from_xyxy(out["boxes"], self.bounding_box_format, height,
                                          width)}

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_ops": self.num_ops, "factor": self.factor,
                "interpolation": self.interpolation, "seed": self.seed}
