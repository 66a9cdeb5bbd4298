"""`RandomErasing`: replaces a random rectangle of some images by noise or a constant."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomErasing"]


@register_builtin("keras.layers")
class RandomErasing(BaseImagePreprocessingLayer):
    """Erases one rectangle per image with a probability drawn from `factor`.

    The rectangle's sides are `sqrt(s)` of the image's, `s` drawn from `scale`; it is filled
    with `fill_value` (a number or one value per channel) or, if None, with normal noise
    times `value_range[1]`, clipped to `value_range`. The identity (cast) at inference.

    Args:
        factor: A probability `p` in [0, 1] (draws the erase probability from `[0, p]`) or a
            pair `(lower, upper)`; default 1.0.
        scale: A pair of fractions of the area bounding the erased rectangle.
        fill_value: The fill: None (noise), a number, or 3 numbers.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> out = RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=0.0, seed=0)(
        ...     np.ones((1, 8, 8, 1)))
        >>> int((np.asarray(out) == 0).sum())  # a 4 x 4 rectangle erased
        16
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.scale = parse_factor(self._who, scale, bounds=(0, 1), arg="scale")
        if fill_value is not None and not (
                isinstance(fill_value, int | float)
                or (isinstance(fill_value, tuple | list) and len(fill_value) == 3)):
            raise ValueError(
                f"{self._who}: invalid `fill_value`. Expected None, a number or 3 numbers. "
                f"Received: fill_value={fill_value!r}."
            )
        self.fill_value = fill_value
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        keys = jax.random.split(key, 6)
        h = images.ndim + self._height_axis
        batch, height, width = images.shape[0], images.shape[h], images.shape[h + 1]
        dtype = self.compute_dtype
        sides = jnp.sqrt(jax.random.uniform(keys[0], (batch, 2), dtype, self.scale[0],
                                            self.scale[1]))

        def bounds(k, length, ratio):
            size = ratio * length
            start = jax.random.uniform(k, (batch,), dtype) * (length - size)
            return start[:, None, None], (start + size)[:, None, None]

        x0, x1 = bounds(keys[1], width, sides[:, 0])
        y0, y1 = bounds(keys[2], height, sides[:, 1])
        rows = jnp.arange(height, dtype=dtype)[None, :, None]
        cols = jnp.arange(width, dtype=dtype)[None, None, :]
        inside = (cols >= x0) & (cols < x1) & (rows >= y0) & (rows < y1)  # (batch, h, w)
        mask = inside[..., None] if self.data_format == "channels_last" else inside[:, None]
        p = jax.random.uniform(keys[3], (batch,), minval=self.factor[0], maxval=self.factor[1])
        apply = jax.random.uniform(keys[4], (batch,)) < p
        if self.fill_value is None:
            fill = jax.random.normal(keys[5], images.shape, dtype) * self.value_range[1]
        else:
            value = jnp.asarray(self.fill_value, dtype)
            if value.ndim and self.data_format == "channels_first":
                value = value[:, None, None]
            fill = jnp.broadcast_to(value, images.shape)
        fill = jnp.clip(fill, self.value_range[0], self.value_range[1])
        return {"apply_erasing": apply, "batch_masks": mask, "fill_value": fill}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        erased = jnp.where(transformation["batch_masks"], transformation["fill_value"], images)
        return jnp.where(transformation["apply_erasing"][:, None, None, None], erased, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}
