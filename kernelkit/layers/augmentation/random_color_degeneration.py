"""`RandomColorDegeneration`: blends each image toward its grayscale by a random amount."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import colour
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomColorDegeneration"]


@register_builtin("keras.layers")
class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """Computes `x + f * (gray(x) - x)`, `f` drawn per image from `factor`, clipped to range.

    Args:
        factor: A number `f` (draws from `[-f, f]`) or a pair `(lower, upper)` in [-1, 1];
            1 gives grayscale, 0 the original.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = RandomColorDegeneration((1.0, 1.0))
        >>> np.ptp(np.asarray(layer(np.array([[[200.0, 10.0, 90.0]]]))), axis=-1).tolist()
        [[0.0]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor)
        self.value_range = parse_value_range(self._who, value_range)
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        return {"factor": jax.random.uniform(key, (images.shape[0], 1, 1, 1),
                                             minval=self.factor[0], maxval=self.factor[1])}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        gray = colour.rgb_to_grayscale(images, self._channel_axis)
        out = colour.blend(images, gray, transformation["factor"].astype(images.dtype))
        return jnp.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
