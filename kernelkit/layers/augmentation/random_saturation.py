"""`RandomSaturation`: scales the saturation of each image by a random factor."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import config
from kernelkit.layers.augmentation import colour
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    parse_value_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomSaturation"]


@register_builtin("keras.layers")
class RandomSaturation(BaseImagePreprocessingLayer):
    """Multiplies the HSV saturation by `f / (1 - f)`, `f` drawn per image from `factor`.

    `f = 0.5` keeps the image, `f = 0` makes it gray, `f` near 1 saturates it; the identity
    at inference. (As in Keras, the HSV conversion runs on the raw pixel values.)

    Args:
        factor: A number `f` (draws from `[-f, f]`) or a pair `(lower, upper)` in [-1, 1].
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomSaturation((0.0, 0.0))(np.array([[[200.0, 50.0, 50.0]]])).tolist()
        [[[200.0, 200.0, 200.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor)
        self.value_range = parse_value_range(self._who, value_range)
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        f = jax.random.uniform(key, (images.shape[0],), minval=self.factor[0],
                               maxval=self.factor[1])
        return {"factor": f / (1 - f + config.epsilon())}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        axis = self._channel_axis
        hsv = colour.rgb_to_hsv(images, axis)
        scale = transformation["factor"].astype(self.compute_dtype)[:, None, None]
        s = jnp.clip(jnp.take(hsv, 1, axis=axis) * scale, self.value_range[0],
                     self.value_range[1])
        hsv = jnp.stack([jnp.take(hsv, 0, axis=axis), s, jnp.take(hsv, 2, axis=axis)], axis)
        return colour.hsv_to_rgb(hsv, axis)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
