"""`RandomHue`: rotates the hue of each image by a random amount (in either direction)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import colour
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomHue"]


@register_builtin("keras.layers")
class RandomHue(BaseImagePreprocessingLayer):
    """Shifts the hue of each RGB image by `+-d / 2` of a turn, `d` drawn from `factor`.

    The sign is drawn per image too; the identity at inference.

    Args:
        factor: A number `f` in [0, 1] (draws `d` from `[0, f]`) or a pair `(lower, upper)`.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomHue(0.0)(np.array([[[255.0, 0.0, 0.0]]])).tolist()  # no shift
        [[[255.0, 0.0, 0.0]]]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        k_sign, k_amount = jax.random.split(key)
        batch = images.shape[0]
        sign = jnp.where(jax.random.uniform(k_sign, (batch,)) > 0.5, -1.0, 1.0)
        amount = jax.random.uniform(k_amount, (batch,), minval=self.factor[0],
                                    maxval=self.factor[1])
        return {"factor": sign * amount * 0.5}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        x = rescale_range(images, self.value_range, (0, 1))
        axis = self._channel_axis
        hsv = colour.rgb_to_hsv(x, axis)
        shift = transformation["factor"].astype(x.dtype)[:, None, None]
        hue = jnp.take(hsv, 0, axis=axis) + shift
        hue = jnp.where(hue > 1.0, hue - 1.0, hue)
        hue = jnp.where(hue < 0.0, hue + 1.0, hue)
        hsv = jnp.stack([hue, jnp.take(hsv, 1, axis=axis), jnp.take(hsv, 2, axis=axis)], axis)
        rgb = jnp.clip(colour.hsv_to_rgb(hsv, axis), 0, 1)
        return rescale_range(rgb, (0, 1), self.value_range).astype(self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
