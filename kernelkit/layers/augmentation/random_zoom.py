"""`RandomZoom`: zooms each image in or out by a random factor about its center."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.affine_augmentation import AffineAugmentation
from kernelkit.layers.augmentation.base_augmentation import parse_factor
from kernelkit.registry import register_builtin

__all__ = ["RandomZoom"]


def _zoom_factor(who, factor, arg):
    lower, upper = parse_factor(who, factor, arg=arg)
    if lower <= -1.0:
        raise ValueError(
            f"{who}: invalid `{arg}`. Expected numbers in (-1, 1]. Received: {arg}={factor!r}."
        )
    return lower, upper


@register_builtin("keras.layers")
class RandomZoom(AffineAugmentation):
    """Zooms images by a factor drawn per image; a positive factor zooms out, negative in.

    Args:
        height_factor: A number `f` (draws the vertical zoom from `[-f, f]`) or a pair
            `(lower, upper)` in (-1, 1]: `0.2` shows between 80% and 120% of the height.
        width_factor: Same for the width; `None` (default) keeps the aspect ratio by reusing
            the vertical zoom.
        fill_mode: How points outside the image are filled: `"reflect"` (default), `"wrap"`,
            `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: Optional integer seed of the layer's random stream.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: boxes are cut to
            the zoomed window (or shrunk into the zoomed-out image) and clipped.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = RandomZoom((-0.5, -0.5), interpolation="nearest")  # zoom in 2x
        >>> layer(np.arange(16.0).reshape(4, 4, 1)).shape
        (4, 4, 1)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode=fill_mode, interpolation=interpolation,
                         fill_value=fill_value, seed=seed, data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _zoom_factor(self._who, height_factor,
                                                            "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _zoom_factor(self._who, width_factor,
                                                              "width_factor")

    def get_random_transformation(self, images, key):
        batch = images.shape[0]
        kh, kw = jax.random.split(key)
        height_zoom = jax.random.uniform(kh, (batch, 1), minval=1.0 + self.height_lower,
                                         maxval=1.0 + self.height_upper)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = jax.random.uniform(kw, (batch, 1), minval=1.0 + self.width_lower,
                                            maxval=1.0 + self.width_upper)
        height, width = self._image_size(images)
        x_offset = (width - 1.0) / 2.0 * (1.0 - width_zoom)
        y_offset = (height - 1.0) / 2.0 * (1.0 - height_zoom)
        zeros = jnp.zeros((batch, 1))
        matrix = jnp.concatenate([width_zoom, zeros, x_offset, zeros, height_zoom, y_offset,
                                  zeros, zeros], axis=1)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "matrix": matrix}

    def move_boxes(self, boxes, transformation, height, width):
        # the input window the output shows, from the corners (0, 0) and (width, height)
        m = transformation["matrix"][:, None, :]  # (batch, 1, 8)
        x0, y0 = m[..., 2:3], m[..., 5:6]
        x1, y1 = m[..., 0:1] * width + x0, m[..., 4:5] * height + y0
        start = jnp.concatenate([x0, y0, x0, y0], axis=-1)
        extent = jnp.concatenate([x1 - x0, y1 - y0, x1 - x0, y1 - y0], axis=-1)
        size = jnp.array([width, height, width, height], jnp.float32)
        return (jnp.clip(boxes, start, start + extent) - start) / extent * size

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
