"""`RandomBrightness`: adds a random offset (a fraction of the value range) to each image."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomBrightness"]


@register_builtin("keras.layers")
class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds `delta * (high - low)` to each image, `delta` drawn from `factor`; clips to range.

    The input dtype is kept; the identity at inference.

    Args:
        factor: A number `f` in [-1, 1] (draws `delta` from `[-f, f]`) or a pair
            `(lower, upper)`.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = RandomBrightness((0.1, 0.1))  # + 25.5 on [0, 255]
        >>> layer(np.array([[[100.0], [250.0]]])).ravel().tolist()
        [125.5, 255.0]
    """

    _CAST_INPUTS = False

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor = parse_factor(self._who, factor)
        self.value_range = parse_value_range(self._who, value_range)
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        delta = jax.random.uniform(key, (images.shape[0], 1, 1, 1), minval=self.factor[0],
                                   maxval=self.factor[1])
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        dtype = images.dtype
        out = images.astype(self.compute_dtype) + transformation["rgb_delta"]
        return jnp.clip(out, self.value_range[0], self.value_range[1]).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
