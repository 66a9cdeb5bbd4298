"""`RandomPerspective`: moves the corners of some images randomly (a projective warp)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import geometry
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.layers.augmentation.bounding_boxes import clip_boxes, from_xyxy, to_xyxy
from kernelkit.registry import register_builtin

__all__ = ["RandomPerspective"]


@register_builtin("keras.layers")
class RandomPerspective(BaseImagePreprocessingLayer):
    """Warps each image (with a probability drawn from `factor`) by moving its four corners.

    Each corner `c` moves to `c + c * u`, `u` drawn per coordinate from
    `[-scale / 2, scale / 2]`. Outside points take `fill_value`; the identity at inference.

    Args:
        factor: A probability `p` in [0, 1] (draws the warp probability from `[0, p]`) or a
            pair `(lower, upper)`; default 1.0.
        scale: Strength of the corner displacement, in [0, 1] (default 1.0).
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_value: The value of points that come from outside the image.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: a box becomes the
            enclosing box of its warped corners, clipped to the image.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomPerspective(scale=0.2, seed=0)(np.ones((2, 6, 6, 3))).shape
        (2, 6, 6, 3)
    """

    _GEOMETRIC = True

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        if not isinstance(scale, int | float) or not 0.0 <= scale <= 1.0:
            raise ValueError(
                f"{self._who}: invalid `scale`. Expected a number in [0, 1]. "
                f"Received: scale={scale!r}."
            )
        if interpolation not in geometry.AFFINE_INTERPOLATIONS:
            raise ValueError(
                f"{self._who}: unknown `interpolation`. Expected one of "
                f"{tuple(geometry.AFFINE_INTERPOLATIONS)}. Received: "
                f"interpolation={interpolation!r}."
            )
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        k_p, k_t, k_f = jax.random.split(key, 3)
        batch = images.shape[0]
        h = images.ndim + self._height_axis
        height, width = images.shape[h], images.shape[h + 1]
        p = jax.random.uniform(k_p, (batch,), minval=self.factor[0], maxval=self.factor[1])
        apply = jax.random.uniform(k_t, (batch,)) < p
        shift = jax.random.uniform(k_f, (batch, 4, 2), self.compute_dtype, -0.5 * self.scale,
                                   0.5 * self.scale)
        corners = jnp.array([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                             [width - 1, height - 1]], self.compute_dtype)
        start = jnp.broadcast_to(corners, (batch, 4, 2))
        return {"apply_perspective": apply, "start_points": start,
                "end_points": start + start * shift}

    def warp(self, images, transformation, interpolation):
        out = geometry.perspective_transform(images, transformation["start_points"],
                                             transformation["end_points"], interpolation,
                                             self.fill_value, self.data_format, self._who)
        return jnp.where(transformation["apply_perspective"][:, None, None, None], out, images)

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        return self.warp(images, transformation, self.interpolation)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._image_size_of(images_shape)
        boxes = to_xyxy(bounding_boxes["boxes"], self.bounding_box_format, height, width)
        # the homography maps output to input pixels; corners move by its inverse
        h = geometry.homography_matrix(transformation["start_points"].astype(jnp.float32),
                                       transformation["end_points"].astype(jnp.float32))
        h = jnp.concatenate([h, jnp.ones_like(h[:, :1])], axis=-1).reshape(-1, 3, 3)
        x1, y1, x2, y2 = (boxes[..., i] for i in range(4))
        corners = jnp.stack([jnp.stack([x, y, jnp.ones_like(x)], axis=-1)
                             for x, y in ((x1, y1), (x2, y2), (x1, y2), (x2, y1))], axis=2)
        moved = jnp.einsum("bij,bnkj->bnki", jnp.linalg.inv(h), corners)  # (batch, n, 4, 3)
        xy = moved[..., :2] / moved[..., 2:]
        warped = jnp.concatenate([xy.min(axis=2), xy.max(axis=2)], axis=-1)
        apply = transformation["apply_perspective"][:, None, None]
        boxes, labels = clip_boxes(jnp.where(apply, warped, boxes), bounding_boxes["labels"],
                                   height, width)
        boxes = from_xyxy(boxes, self.bounding_box_format, height, width)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value,
                "seed": self.seed}
