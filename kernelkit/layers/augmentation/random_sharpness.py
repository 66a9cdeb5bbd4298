"""`RandomSharpness`: sharpens or blurs each image by a random amount."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
)
from kernelkit.layers.augmentation.filters import depthwise_filter
from kernelkit.layers.augmentation.geometry import to_channels_last
from kernelkit.registry import register_builtin

__all__ = ["RandomSharpness"]

_SMOOTH = ((1 / 13, 1 / 13, 1 / 13), (1 / 13, 5 / 13, 1 / 13), (1 / 13, 1 / 13, 1 / 13))


@register_builtin("keras.layers")
class RandomSharpness(BaseImagePreprocessingLayer):
    """Blends each image with a smoothed copy: `x + (1 - 2f) * (smooth(x) - x)`, `f` drawn.

    `f = 0.5` keeps the image, smaller values blur and larger ones sharpen; clipped to
    `value_range`. The identity at inference.

    Args:
        factor: A number `f` in [0, 1] (draws from `[0, f]`) or a pair `(lower, upper)`.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomSharpness((0.5, 0.5))(np.full((3, 3, 1), 7.0))[1, 1].tolist()
        [7.0]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.value_range = parse_value_range(self._who, value_range)
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        return {"factor": jax.random.uniform(key, (images.shape[0],), minval=self.factor[0],
                                             maxval=self.factor[1])}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        x = to_channels_last(images, self.data_format)
        amount = (transformation["factor"] * 2).astype(x.dtype).reshape(-1, 1, 1, 1)
        smooth = depthwise_filter(x, jnp.asarray(_SMOOTH, x.dtype))
        out = jnp.clip(x + (1.0 - amount) * (smooth - x), self.value_range[0],
                       self.value_range[1])
        return out if self.data_format == "channels_last" else jnp.moveaxis(out, -1, 1)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
