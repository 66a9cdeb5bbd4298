"""`RandomPosterization`: keeps only the top bits of each 8-bit pixel value."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomPosterization"]

_BITS = 8


@register_builtin("keras.layers")
class RandomPosterization(BaseImagePreprocessingLayer):
    """Reduces each image to `b` bits per channel, `b` drawn per image from `factor`.

    Args:
        factor: An integer `b` in [1, 8] (draws from `[1, b)`) or a pair `(lower, upper)`;
            equal bounds always keep that many bits.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomPosterization((2, 2))(np.array([[[10.0, 100.0, 250.0]]])).tolist()
        [[[0.0, 64.0, 192.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(1, 8))
        self.value_range = parse_value_range(self._who, value_range)
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        batch = images.shape[0]
        if self.factor[0] != self.factor[1]:
            bits = jax.random.randint(key, (batch,), self.factor[0], self.factor[1])
        else:
            bits = jnp.full((batch,), self.factor[0], jnp.int32)
        return {"shift_factor": (_BITS - bits).astype(jnp.uint8)}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        shift = transformation["shift_factor"][:, None, None, None]
        x = rescale_range(images, self.value_range, (0, 255)).astype(jnp.uint8)
        x = jnp.left_shift(jnp.right_shift(x, shift), shift).astype(self.compute_dtype)
        return rescale_range(x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
