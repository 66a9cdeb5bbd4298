"""`CenterCrop`: crops the central window of images (resizing when they are too small)."""

from __future__ import annotations

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
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

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
