"""`RandomInvert`: inverts the pixel values of some images (`high - x`)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomInvert"]


@register_builtin("keras.layers")
class RandomInvert(BaseImagePreprocessingLayer):
    """Replaces an image `x` by `value_range[1] - x`, with a probability drawn from `factor`.

    Args:
        factor: A probability `p` in [0, 1] (draws the inversion probability from `[0, p]`)
            or a pair `(lower, upper)`; default 1.0.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomInvert((1.0, 1.0))(np.array([[[0.0, 55.0, 255.0]]])).tolist()
        [[[255.0, 200.0, 0.0]]]
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        k_p, k_t = jax.random.split(key)
        batch = images.shape[0]
        p = jax.random.uniform(k_p, (batch,), minval=self.factor[0], maxval=self.factor[1])
        return {"apply_inversion": jax.random.uniform(k_t, (batch,)) < p}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        apply = transformation["apply_inversion"][:, None, None, None]
        return jnp.where(apply, self.value_range[1] - images, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
