"""`RandomTranslation`: shifts each image by a random fraction of its height and width."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.affine_augmentation import AffineAugmentation
from kernelkit.layers.augmentation.base_augmentation import parse_factor
from kernelkit.registry import register_builtin

__all__ = ["RandomTranslation"]


@register_builtin("keras.layers")
class RandomTranslation(AffineAugmentation):
    """Translates images by offsets drawn per image, as fractions of the image size.

    Args:
        height_factor: A number `f` (shift by a fraction in `[-f, f]` of the height;
            positive moves down) or a pair `(lower, upper)` in [-1, 1].
        width_factor: Same for the width (positive moves right).
        fill_mode: How points outside the image are filled: `"reflect"` (default), `"wrap"`,
            `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: Optional integer seed of the layer's random stream.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: boxes are shifted
            with the image and clipped; boxes pushed out get label -1.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = RandomTranslation(0, (0.25, 0.25), fill_mode="constant")
        >>> layer(np.ones((1, 4, 4, 1)))[0, 0, :, 0].tolist()  # one column shifted in
        [0.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, seed=seed, data_format=data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = parse_factor(self._who, height_factor,
                                                            arg="height_factor")
        self.width_lower, self.width_upper = parse_factor(self._who, width_factor,
                                                          arg="width_factor")

    def get_random_transformation(self, images, key):
        batch = images.shape[0]
        height, width = self._image_size(images)
        kh, kw = jax.random.split(key)
        dy = jax.random.uniform(kh, (batch, 1), minval=self.height_lower,
                                maxval=self.height_upper) * height
        dx = jax.random.uniform(kw, (batch, 1), minval=self.width_lower,
                                maxval=self.width_upper) * width
        zeros, ones = jnp.zeros((batch, 1)), jnp.ones((batch, 1))
        matrix = jnp.concatenate([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], axis=1)
        return {"translations": jnp.concatenate([dx, dy], axis=1), "matrix": matrix}

    def move_boxes(self, boxes, transformation, height, width):
        m = transformation["matrix"][:, None, :]  # (batch, 1, 8)
        return boxes - jnp.concatenate([m[..., 2:3], m[..., 5:6]] * 2, axis=-1)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
