"""`RandomGrayscale`: turns each image to grayscale (kept as 3 channels) with a probability."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import colour
from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.registry import register_builtin

__all__ = ["RandomGrayscale"]


@register_builtin("keras.layers")
class RandomGrayscale(BaseImagePreprocessingLayer):
    """Replaces each image by its grayscale (broadcast to every channel) with probability `factor`.

    Args:
        factor: Probability in [0, 1] of converting an image (default 0.5).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream (not saved in the config,
            as in Keras).

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> out = RandomGrayscale(1.0)(np.array([[[200.0, 10.0, 90.0]]]))
        >>> bool(np.ptp(np.asarray(out)) < 1e-4)
        True
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 <= factor <= 1:
            raise ValueError(
                f"{self._who}: invalid `factor`. Expected a probability in [0, 1]. "
                f"Received: factor={factor!r}."
            )
        self.factor = factor
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        draw = jax.random.uniform(key, (images.shape[0], 1, 1, 1))
        return {"apply": draw < self.factor}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        gray = colour.rgb_to_grayscale(images, self._channel_axis)
        return jnp.where(transformation["apply"], gray, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
