"""`RandomRotation`: rotates each image by a random angle about its center."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.data import bounding_boxes
from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.affine_augmentation import AffineAugmentation
from kernelkit.layers.augmentation.base_augmentation import parse_factor
from kernelkit.registry import register_builtin

__all__ = ["RandomRotation"]


@register_builtin("keras.layers")
class RandomRotation(AffineAugmentation):
    """Rotates images by an angle drawn per image from `factor * 2pi` (counter-clockwise > 0).

    Args:
        factor: A fraction of a full turn: a number `f` draws from `[-f, f]`, a pair
            `(lower, upper)` from that range (e.g. `0.1` is up to +-36 degrees).
        fill_mode: How points outside the image are filled: `"reflect"` (default), `"wrap"`,
            `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: Optional integer seed of the layer's random stream.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: a box becomes the
            box around its rotated corners, clipped to the image.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> image = np.arange(9.0).reshape(3, 3, 1)
        >>> RandomRotation((0.25, 0.25))(image)[..., 0].round().tolist()  # a quarter turn
        [[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor)

    def get_random_transformation(self, images, key):
        batch = images.shape[0]
        angle = jax.random.uniform(key, (batch,), minval=self.factor[0] * 360.0,
                                   maxval=self.factor[1] * 360.0)
        height, width = self._image_size(images)
        zeros, ones = jnp.zeros((batch,)), jnp.ones((batch,))
        matrix = geometry.affine_matrix(angle, zeros, zeros, ones, zeros, zeros, height, width)
        return {"angle": angle, "matrix": matrix}

    def move_boxes(self, boxes, transformation, height, width):
        # the enclosing box of the rotated corners, as Keras computes it
        angle = transformation["angle"]
        zeros, ones = jnp.zeros_like(angle), jnp.ones_like(angle)
        return bounding_boxes.affine_transform(boxes, angle, zeros, zeros, ones, zeros, zeros,
                                               height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
