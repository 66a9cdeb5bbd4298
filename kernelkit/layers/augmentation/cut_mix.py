"""`CutMix`: pastes a random rectangle of another image of the batch into each image."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.registry import register_builtin

__all__ = ["CutMix"]


@register_builtin("keras.layers")
class CutMix(BaseImagePreprocessingLayer):
    """Replaces a rectangle of each image by the same region of a shuffled partner image.

    The kept fraction `w ~ Beta(a, a)` (`a` drawn from `factor`) sets the rectangle's sides
    to `sqrt(1 - w)` of the image; labels are mixed by the areas. Batches only; the identity
    at inference and on single images.

    Args:
        factor: A number `f` in [0, 1] (draws `a` from `[0, f]`) or a pair; default 1.0.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)`, or a dict with `"images"` and `"labels"`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> data = {"images": np.ones((4, 4, 4, 1)), "labels": np.eye(4)}
        >>> out = CutMix(seed=0)(data)
        >>> np.asarray(out["labels"]).sum(axis=1).round(4).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    _CAST_INPUTS = False
    _BOUNDING_BOXES = False  # Keras raises NotImplementedError for boxes

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self._init_seed(seed)

    def call(self, inputs, training=True):
        images = inputs["images"] if isinstance(inputs, dict) else inputs
        if getattr(images, "ndim", 4) == 3:  # Keras leaves single images alone
            training = False
        return super().call(inputs, training=training)

    def get_random_transformation(self, images, key):
        keys = jax.random.split(key, 5)
        dtype = self.compute_dtype
        batch = images.shape[0]
        h = images.ndim + self._height_axis
        height, width = images.shape[h], images.shape[h + 1]
        a = jax.random.uniform(keys[0], (), dtype, self.factor[0], self.factor[1]) + 1e-6
        ratio = jnp.sqrt(1.0 - jax.random.beta(keys[1], a, a, (batch,), dtype))

        def bounds(k, length):
            size = ratio * length
            start = jax.random.uniform(k, (batch,), dtype) * (length - size)
            return start, start + size

        x0, x1 = bounds(keys[2], width)
        y0, y1 = bounds(keys[3], height)
        rows = jnp.arange(height, dtype=dtype)[None, :, None]
        cols = jnp.arange(width, dtype=dtype)[None, None, :]
        e = (slice(None), None, None)
        inside = (cols >= x0[e]) & (cols < x1[e]) & (rows >= y0[e]) & (rows < y1[e])
        mask = inside[..., None] if self.data_format == "channels_last" else inside[:, None]
        return {"permutation_order": jax.random.permutation(keys[4], batch),
                "batch_masks": mask,
                "mix_weight": 1.0 - (x1 - x0) * (y1 - y0) / (width * height)}

    def transform_images(self, images, transformation, training=True):
        images = images.astype(self.compute_dtype)
        if transformation is None:
            return images
        partner = images[transformation["permutation_order"]]
        return jnp.where(transformation["batch_masks"], partner, images)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        """Masks get the partner's patch, as the images do (Keras's rule)."""
        return self.transform_images(masks, transformation, training)

    def transform_labels(self, labels, transformation, training=True):
        if transformation is None:
            return labels
        w = transformation["mix_weight"].reshape(-1, 1)
        return w * labels + (1.0 - w) * jnp.take(labels, transformation["permutation_order"],
                                                 axis=0)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
