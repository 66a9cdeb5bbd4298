"""`RandomGaussianBlur`: blurs some images with a Gaussian of random width."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import filters
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.registry import register_builtin

__all__ = ["RandomGaussianBlur"]


@register_builtin("keras.layers")
class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """Blurs each image with probability drawn from `factor`; one sigma pair per batch.

    Args:
        factor: A probability `p` in [0, 1] (draws the blur probability from `[0, p]`) or a
            pair `(lower, upper)`; default 1.0.
        kernel_size: Odd int or pair `(size_x, size_y)` of the Gaussian window (default 3).
        sigma: A number `s` (draws `(sigma_x, sigma_y)` from `[0, s]`) or a pair; default 1.0.
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Optional integer seed of the layer's random stream.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> RandomGaussianBlur(seed=0)(np.ones((1, 5, 5, 3))).shape
        (1, 5, 5, 3)
    """

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        sizes = tuple(kernel_size) if isinstance(kernel_size, tuple | list) else (kernel_size,) * 2
        if len(sizes) != 2 or not all(isinstance(k, int) and k > 0 and k % 2 for k in sizes):
            raise ValueError(
                f"{self._who}: invalid `kernel_size`. Expected an odd positive integer or a "
                f"pair of them. Received: kernel_size={kernel_size!r}."
            )
        self.kernel_size = sizes
        self.sigma = parse_factor(self._who, sigma, bounds=(0, 1), arg="sigma")
        self.value_range = value_range
        self._init_seed(seed)

    def get_random_transformation(self, images, key):
        k_p, k_t, k_s = jax.random.split(key, 3)
        batch = images.shape[0]
        p = jax.random.uniform(k_p, (batch,), minval=self.factor[0], maxval=self.factor[1])
        sigma = jax.random.uniform(k_s, (2,), self.compute_dtype, self.sigma[0],
                                   self.sigma[1]) + 1e-6
        return {"should_apply_blur": jax.random.uniform(k_t, (batch,)) < p,
                "blur_factor": sigma}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        blurred = filters.gaussian_blur(images, self.kernel_size, transformation["blur_factor"],
                                        self.data_format)
        out = jnp.where(transformation["should_apply_blur"][:, None, None, None], blurred,
                        images)
        return jnp.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size,
                "sigma": self.sigma, "value_range": self.value_range, "seed": self.seed}
