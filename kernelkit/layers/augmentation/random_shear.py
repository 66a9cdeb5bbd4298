"""`RandomShear`: shears each image along x and/or y by a random amount."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.affine_augmentation import AffineAugmentation
from kernelkit.registry import register_builtin

__all__ = ["RandomShear"]


def _shear_factor(who, factor, arg):
    """`(-f, f)` for a number `f` in [0, 1]; a pair in [-1, 1] sorted (Keras writes `(-f, f)`)."""
    pair = tuple(factor) if isinstance(factor, tuple | list) else None
    values = pair if pair is not None else (factor,)
    low = -1 if pair is not None else 0
    if ((pair is not None and len(pair) != 2)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= 1
                       for v in values)):
        raise ValueError(
            f"{who}: invalid `{arg}`. Expected a number or a pair of numbers in [0, 1]. "
            f"Received: {arg}={factor!r}."
        )
    return tuple(sorted(pair)) if pair is not None else (-abs(factor), abs(factor))


@register_builtin("keras.layers")
class RandomShear(AffineAugmentation):
    """Shears images: output `(x, y)` samples `(x + sx * y, sy * x + y)`, `sx, sy` drawn.

    Each image also draws a sign that flips both shears.

    Args:
        x_factor: A number `f` in [0, 1] (draws from `[-f, f]`) or a pair `(lower, upper)`
            in [-1, 1].
        y_factor: Same for the vertical shear.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: How points outside the image are filled: `"reflect"` (default), `"wrap"`,
            `"constant"` or `"nearest"`.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: box edges move by
            the shear of their corners (Keras's rule) and are clipped.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomShear(x_factor=0.2, seed=0)(np.ones((2, 4, 4, 3))).shape
        (2, 4, 4, 3)
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, seed=seed, data_format=data_format, **kwargs)
        self.x_factor = _shear_factor(self._who, x_factor, "x_factor")
        self.y_factor = _shear_factor(self._who, y_factor, "y_factor")

    def get_random_transformation(self, images, key):
        k_sign, k_y, k_x = jax.random.split(key, 3)
        batch = images.shape[0]
        sign = jnp.where(jax.random.uniform(k_sign, (batch, 1)) > 0.5, -1.0, 1.0)
        sy = jax.random.uniform(k_y, (batch, 1), minval=self.y_factor[0], maxval=self.y_factor[1])
        sx = jax.random.uniform(k_x, (batch, 1), minval=self.x_factor[0], maxval=self.x_factor[1])
        shear = jnp.concatenate([sx, sy], axis=1) * sign
        zeros, ones = jnp.zeros((batch,)), jnp.ones((batch,))
        matrix = jnp.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros],
                           axis=1)
        return {"shear_factor": shear, "matrix": matrix}

    def move_boxes(self, boxes, transformation, height, width):
        # Keras's rule on relative corners: each edge moves by the shear of the corner that
        # keeps the box enclosing, the y edges using the already sheared x edges
        size = jnp.array([width, height, width, height], jnp.float32)
        rel = boxes / size
        x1, y1, x2, y2 = (rel[..., i] for i in range(4))
        sx, sy = (transformation["shear_factor"][:, i:i + 1].astype(rel.dtype) for i in (0, 1))
        x1 = jnp.where(sx < 0, x1 - sx * y1, x1 - sx * y2)
        x2 = jnp.where(sx < 0, x2 - sx * y2, x2 - sx * y1)
        y1 = jnp.where(sy > 0, y1 - sy * x2, y1 - sy * x1)
        y2 = jnp.where(sy > 0, y2 - sy * x1, y2 - sy * x2)
        return jnp.stack([x1, y1, x2, y2], axis=-1) * size

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor}
