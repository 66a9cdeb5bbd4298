"""`RandomElasticTransform`: elastic distortion of some images, of random strength."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.affine_augmentation import FILL_MODES
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.layers.augmentation.elastic import elastic_warp
from kernelkit.registry import register_builtin

__all__ = ["RandomElasticTransform"]


@register_builtin("keras.layers")
class RandomElasticTransform(BaseImagePreprocessingLayer):
    """Distorts each image (with a probability from `factor`) by a smoothed random field.

    A strength `d` is drawn from `scale` for the batch; the field has amplitude
    `0.1 * d * max(height, width)` pixels and smoothness `0.05 * d * min(height, width)`.
    Outputs are clipped to `value_range`; the identity at inference.

    Args:
        factor: A probability `p` in [0, 1] (draws the distortion probability from `[0, p]`)
            or a pair `(lower, upper)`; default 1.0.
        scale: A number `s` in [0, 1] (draws the strength from `[0, s]`) or a pair.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: How points outside the image are filled: `"reflect"` (default), `"wrap"`,
            `"constant"` or `"nearest"`.
        fill_value: The value of `"constant"` filling.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomElasticTransform(seed=0)(np.ones((2, 8, 8, 1))).shape
        (2, 8, 8, 1)
    """

    _GEOMETRIC = True
    _BOUNDING_BOXES = False  # Keras has no box transform for it either

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.scale = parse_factor(self._who, scale, bounds=(0, 1), arg="scale")
        for arg, value, choices in (("interpolation", interpolation,
                                     tuple(geometry.AFFINE_INTERPOLATIONS)),
                                    ("fill_mode", fill_mode, FILL_MODES)):
            if value not in choices:
                raise ValueError(
                    f"{self._who}: unknown `{arg}`. Expected one of {choices}. "
                    f"Received: {arg}={value!r}."
                )
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range
        self._init_seed(seed)

    def _transformation(self, batch, training):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        k_p, k_t, k_d, k_field = jax.random.split(self.seed_stream(), 4)
        size = batch.shape[0]
        p = jax.random.uniform(k_p, (size,), minval=self.factor[0], maxval=self.factor[1])
        return {"apply_transform": jax.random.uniform(k_t, (size,)) < p,
                "distortion_factor": jax.random.uniform(k_d, (), self.compute_dtype,
                                                        self.scale[0], self.scale[1]),
                "seed": k_field}

    def warp(self, images, transformation, interpolation):
        h = images.ndim + self._height_axis
        height, width = images.shape[h], images.shape[h + 1]
        d = transformation["distortion_factor"]
        alpha, sigma = max(height, width) * 0.1 * d, min(height, width) * 0.05 * d
        # the window is sized for the largest sigma the layer can draw, so it stays static
        kernel = int(6 * min(height, width) * 0.05 * self.scale[1]) | 1
        out = elastic_warp(images, transformation["seed"], alpha, jnp.maximum(sigma, 1e-6),
                           kernel, interpolation, self.fill_mode, self.fill_value,
                           self.data_format)
        out = jnp.where(transformation["apply_transform"][:, None, None, None], out, images)
        return jnp.clip(out, self.value_range[0], self.value_range[1])

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        return self.warp(images, transformation, self.interpolation)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}
