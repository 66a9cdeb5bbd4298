"""`AugMix`: mixes the image with several random augmentation chains of it."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.augmentation_menu import (
    COLOUR,
    GEOMETRIC_AND_HISTOGRAM,
    apply_choice,
    apply_choice_to_masks,
    make_menu,
)
from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    parse_factor,
)
from kernelkit.registry import register_builtin

__all__ = ["AugMix"]


@register_builtin("keras.layers")
class AugMix(BaseImagePreprocessingLayer):
    """AugMix: `w x + (1 - w) sum_i m_i chain_i(x)`, `m ~ Dirichlet(alpha)`, `w ~ Beta(alpha)`.

    Each of `num_chains` chains applies up to `chain_depth` augmentations drawn from the menu
    (shear, translation, rotation, posterization, solarization, auto-contrast, equalization,
    plus brightness, colour degeneration, contrast and sharpness when `all_ops`); each step
    may also be skipped. Clipped to `value_range`; the identity (cast) at inference. In dict
    inputs, segmentation masks are mixed from the same chains (geometric steps warp them,
    the others leave them), and `"bounding_boxes"` pass through unchanged, as in Keras.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        num_chains: Number of augmentation chains (default 3).
        chain_depth: Maximum number of augmentations per chain (default 3).
        factor: A number `f` in [0, 1] (strength `(0, f)`) or a pair; default 0.3.
        alpha: Concentration of the Dirichlet and Beta draws (default 1.0).
        all_ops: Whether the colour augmentations are in the menu (default True).
        interpolation: `"bilinear"` (default) or `"nearest"`, for the geometric ones.
        seed: Optional integer seed of the layer's random stream.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        RGB images `(batch, height, width, 3)` or one image `(height, width, 3)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> AugMix(seed=0)(np.full((2, 8, 8, 3), 100.0)).shape
        (2, 8, 8, 3)
    """

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0,
                 all_ops=True, interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = parse_factor(self._who, factor, bounds=(0, 1))
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self._init_seed(seed)
        order = GEOMETRIC_AND_HISTOGRAM + (COLOUR if all_ops else ())
        self.menu = make_menu(order, self.factor, value_range, interpolation, seed,
                              self.data_format, self.dtype_policy)

    def get_random_transformation(self, images, key):
        k_m, k_w, k_idx, k_ops = jax.random.split(key, 4)
        steps = self.num_chains * self.chain_depth
        return {
            "chain_mixing_weights": jax.random.dirichlet(
                k_m, jnp.full((self.num_chains,), float(self.alpha))),
            "weight_sample": jax.random.beta(k_w, self.alpha, self.alpha),
            "layer_idxes": jax.random.randint(k_idx, (steps,), 0, len(self.menu) + 1),
            "keys": jax.random.split(k_ops, steps),
        }

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        dtype = images.dtype
        mixed = jnp.zeros_like(images)
        weights = transformation["chain_mixing_weights"].astype(dtype)
        for c in range(self.num_chains):
            chain = images
            for d in range(self.chain_depth):
                step = c * self.chain_depth + d
                chain = apply_choice(self.menu, transformation["layer_idxes"][step], chain,
                                     transformation["keys"][step])
            mixed = mixed + chain * weights[c]
        w = transformation["weight_sample"].astype(dtype)
        out = w * images + (1 - w) * mixed
        return jnp.clip(out, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, masks, transformation, training=True):
        if transformation is None:
            return masks
        mixed = jnp.zeros_like(masks)
        weights = transformation["chain_mixing_weights"].astype(self.compute_dtype)
        for c in range(self.num_chains):
            chain = masks
            for d in range(self.chain_depth):
                step = c * self.chain_depth + d
                chain = apply_choice_to_masks(self.menu, transformation["layer_idxes"][step],
                                              chain, transformation["keys"][step])
            mixed = mixed + chain * weights[c]
        w = transformation["weight_sample"].astype(self.compute_dtype)
        return w * masks + (1 - w) * mixed

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_chains": self.num_chains, "chain_depth": self.chain_depth,
                "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation, "seed": self.seed}
