"""`MixUp`: blends each image (and its label) with another image of the batch."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import BaseImagePreprocessingLayer
from kernelkit.registry import register_builtin

__all__ = ["MixUp"]


@register_builtin("keras.layers")
class MixUp(BaseImagePreprocessingLayer):
    """Mixes images and labels with a shuffled copy of the batch: `w x + (1 - w) x[perm]`.

    `w ~ Beta(alpha, alpha)` per image. Labels (in a dict input under `"labels"`) are mixed
    with the same weights. The identity at inference.

    Args:
        alpha: The Beta distribution's concentration (default 0.2).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs: each image keeps
            its boxes and labels and gets its partner's appended (`2 n` boxes). Masks are
            blended with the images' weights.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)`, or a dict with `"images"` and `"labels"`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> data = {"images": np.ones((4, 2, 2, 1)), "labels": np.eye(4)}
        >>> out = MixUp(seed=0)(data)
        >>> np.asarray(out["labels"]).sum(axis=1).round(4).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    _CAST_INPUTS = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        k_perm, k_w = jax.random.split(key)
        batch = images.shape[0]
        return {"permutation_order": jax.random.permutation(k_perm, batch),
                "mix_weight": jax.random.beta(k_w, self.alpha, self.alpha, (batch,))}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        images = images.astype(self.compute_dtype)
        w = transformation["mix_weight"].astype(images.dtype).reshape(-1, 1, 1, 1)
        return w * images + (1.0 - w) * images[transformation["permutation_order"]]

    def transform_labels(self, labels, transformation, training=True):
        if transformation is None:
            return labels
        w = transformation["mix_weight"].reshape(-1, 1)
        return w * labels + (1.0 - w) * jnp.take(labels, transformation["permutation_order"],
                                                 axis=0)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        """Masks are blended with their partner's by the images' weights."""
        if transformation is None:
            return masks
        w = transformation["mix_weight"].reshape(-1, 1, 1, 1)
        return w * masks + (1.0 - w) * jnp.take(masks, transformation["permutation_order"],
                                                axis=0)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        """Each image keeps its boxes and gets its partner's appended (`(batch, 2n, 4)`)."""
        if transformation is None:
            return bounding_boxes
        order = transformation["permutation_order"]
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        return {**bounding_boxes,
                "boxes": jnp.concatenate([boxes, jnp.take(boxes, order, axis=0)], axis=1),
                "labels": jnp.concatenate([labels, jnp.take(labels, order, axis=0)], axis=1)}

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
