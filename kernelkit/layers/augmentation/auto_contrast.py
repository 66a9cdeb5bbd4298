"""`AutoContrast`: stretches each image and channel to the full value range."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_value_range,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["AutoContrast"]


@register_builtin("keras.layers")
class AutoContrast(BaseImagePreprocessingLayer):
    """Maps each image's per-channel minimum to `low` and maximum to `high` (deterministic).

    Constant channels (where the stretch is undefined) are kept as they are. Applied in
    training and inference alike; outputs are in the compute dtype.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> AutoContrast()(np.array([[[50.0], [100.0]]])).ravel().tolist()
        [0.0, 255.0]
    """

    _RANDOM = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = parse_value_range(self._who, value_range)

    def transform_images(self, images, transformation, training=True):
        x = rescale_range(images, self.value_range, (0, 255))
        # Keras reduces axes 1 and 2, whatever the data format
        low = jnp.min(x, axis=(1, 2), keepdims=True)
        high = jnp.max(x, axis=(1, 2), keepdims=True)
        scale = 255.0 / (high - low)
        out = jnp.clip(x * scale - low * scale, 0.0, 255.0)
        out = rescale_range(out, (0, 255), self.value_range)
        return jnp.where(jnp.isnan(out), images, out)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}
