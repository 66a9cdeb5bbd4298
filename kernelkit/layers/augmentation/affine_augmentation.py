"""`AffineAugmentation`: the base of the random affine layers (rotation, zoom, translation, shear)."""

from __future__ import annotations

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer

__all__ = ["AffineAugmentation"]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


class AffineAugmentation(BaseImagePreprocessingLayer):
    """Warps each image by a random affine matrix; the identity at inference.

    Subclasses draw the `(batch, 8)` matrix rows in `get_random_transformation` (returned
    under `"matrix"`).

    Args:
        fill_mode: How points outside the image are filled: `"reflect"` (default),
            `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_value: The value of `"constant"` filling.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

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

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
