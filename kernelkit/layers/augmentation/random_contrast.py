"""`RandomContrast`: scales each image's deviation from its mean by a random factor."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomContrast"]


@register_builtin("keras.layers")
class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts contrast per image: `(x - mean) * c + mean`, `c` drawn from `[1 - lower, 1 + upper]`.

    The mean is per image and channel; outputs are clipped to `value_range`. The identity at
    inference.

    Args:
        factor: A number `f` in [0, 1] (draws `c` from `[1 - f, 1 + f]`) or a pair
            `(lower, upper)`.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomContrast(0.0)(np.array([[[0.0], [100.0]]])).ravel().tolist()
        [0.0, 100.0]
    """

    _CAST_INPUTS = False

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        parse_value_range(self._who, value_range)
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        shape = (images.shape[0], 1, 1, 1)
        return {"contrast_factor": jax.random.uniform(
            key, shape, self.compute_dtype, 1.0 - self.factor[0], 1.0 + self.factor[1])}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        images = images.astype(self.compute_dtype)
        h = images.ndim + self._height_axis
        mean = jnp.mean(images, axis=(h, h + 1), keepdims=True)
        out = (images - mean) * transformation["contrast_factor"] + mean
        return jnp.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
