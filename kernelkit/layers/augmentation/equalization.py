"""`Equalization`: histogram equalization of each channel over the batch."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_value_range,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["Equalization"]


@register_builtin("keras.layers")
class Equalization(BaseImagePreprocessingLayer):
    """Equalizes the histogram of each channel (one histogram over the whole batch, as Keras).

    Applied in training (the default when called directly); the identity at inference.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        bins: Number of histogram bins (default 256).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> Equalization()(np.array([[[0.0], [10.0], [20.0], [30.0]]])).ravel().tolist()
        [0.0, 85.0, 170.0, 255.0]
    """

    _RANDOM = False
    _CAST_INPUTS = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = parse_value_range(self._who, value_range)

    def _equalize(self, channel):
        channel = rescale_range(channel, self.value_range, (0, 255))
        index = jnp.clip((channel * (self.bins - 1) / 255.0).astype(jnp.int32), 0, self.bins - 1)
        hist = jnp.bincount(index.ravel(), length=self.bins)
        cdf = jnp.cumsum(hist)
        cdf_min = cdf[jnp.argmax(cdf > 0)]
        denominator = cdf[-1] - cdf_min
        denominator = jnp.where(denominator == 0, 1, denominator)
        table = jnp.clip(jnp.round((cdf - cdf_min) * 255 / denominator), 0, 255)
        lookup = jnp.clip(channel / 255.0 * (self.bins - 1), 0, self.bins - 1).astype(jnp.int32)
        out = jnp.where(jnp.count_nonzero(hist) <= 1, channel, table[lookup])
        return rescale_range(out, (0, 255), self.value_range)

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = images.astype(self.compute_dtype)
        axis = images.ndim + self._channel_axis
        channels = [self._equalize(jnp.take(images, i, axis=axis))
                    for i in range(images.shape[axis])]
        return jnp.stack(channels, axis=axis).astype(self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
