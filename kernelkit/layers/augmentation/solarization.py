"""`Solarization`: inverts the pixels above a (random) threshold, after a (random) addition."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_value_range,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["Solarization"]


def _unit_factor(who, factor, arg):
    """`(0, f)` for a number, the sorted pair otherwise; every bound in [0, 1]."""
    pair = tuple(factor) if isinstance(factor, tuple | list) else None
    values = pair if pair is not None else (factor,)
    if ((pair is not None and len(pair) != 2)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
                       for v in values)):
        raise ValueError(
            f"{who}: invalid `{arg}`. Expected a number or a pair of numbers in [0, 1]. "
            f"Received: {arg}={factor!r}."
        )
    return tuple(sorted(pair)) if pair is not None else (0, factor)


@register_builtin("keras.layers")
class Solarization(BaseImagePreprocessingLayer):
    """Adds a random amount, then replaces `x` by `255 - x` wherever `x` reaches a threshold.

    Values are processed on the [0, 255] scale; the addition is drawn from
    `[addition_factor[0], addition_factor[1] * 255]` and the threshold likewise. With the
    defaults (both 0) every pixel is inverted. The identity (cast) at inference.

    Args:
        addition_factor: A number `f` in [0, 1] (`(0, f)`) or a pair.
        threshold_factor: A number `f` in [0, 1] (`(0, f)`) or a pair.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> Solarization()(np.array([[[0.0, 55.0, 255.0]]])).tolist()
        [[[255.0, 200.0, 0.0]]]
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        self._init_seed(seed)
        self.addition_factor = _unit_factor(self._who, addition_factor, "addition_factor")
        self.threshold_factor = _unit_factor(self._who, threshold_factor, "threshold_factor")
        self.value_range = parse_value_range(self._who, value_range)

    def get_random_transformation(self, images, key):
        k_a, k_t = jax.random.split(key)
        shape, dtype = (images.shape[0], 1, 1, 1), self.compute_dtype
        return {
            "additions": jax.random.uniform(k_a, shape, dtype, self.addition_factor[0],
                                            self.addition_factor[1] * 255),
            "thresholds": jax.random.uniform(k_t, shape, dtype, self.threshold_factor[0],
                                             self.threshold_factor[1] * 255),
        }

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        x = rescale_range(images, self.value_range, (0, 255))
        x = jnp.clip(x + transformation["additions"], 0, 255)
        x = jnp.where(x < transformation["thresholds"], x, 255 - x)
        return rescale_range(x, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}
