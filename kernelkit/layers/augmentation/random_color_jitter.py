"""`RandomColorJitter`: random brightness, contrast, saturation and hue, in that order."""

from __future__ import annotations

import jax

from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.layers.augmentation.random_brightness import RandomBrightness
from kernelkit.layers.augmentation.random_contrast import RandomContrast
from kernelkit.layers.augmentation.random_hue import RandomHue
from kernelkit.layers.augmentation.random_saturation import RandomSaturation
from kernelkit.registry import register_builtin

__all__ = ["RandomColorJitter"]


@register_builtin("keras.layers")
class RandomColorJitter(BaseImagePreprocessingLayer):
    """Chains `RandomBrightness`, `RandomContrast`, `RandomSaturation` and `RandomHue`.

    Each factor left `None` skips its step. The identity at inference.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        brightness_factor: `factor` of the `RandomBrightness` step, or None.
        contrast_factor: `factor` of the `RandomContrast` step, or None.
        saturation_factor: `factor` of the `RandomSaturation` step, or None.
        hue_factor: `factor` of the `RandomHue` step, or None.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=0)
        >>> layer(np.full((2, 4, 4, 3), 100.0)).shape
        (2, 4, 4, 3)
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self._init_seed(seed)
        steps = []
        for kind, factor in ((RandomBrightness, brightness_factor),
                             (RandomContrast, contrast_factor),
                             (RandomSaturation, saturation_factor), (RandomHue, hue_factor)):
            if factor is not None:
                steps.append(kind(factor=factor, value_range=value_range, seed=seed,
                                  data_format=self.data_format, dtype=self.dtype_policy))
        self.steps = steps

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        keys = jax.random.split(self.seed_stream(), max(len(self.steps), 1))
        for step, key in zip(self.steps, keys):
            images = step.transform_images(images, step.get_random_transformation(images, key))
        return images.astype(self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor,
                "seed": self.seed}
