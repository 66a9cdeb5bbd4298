"""The menu of augmentations RandAugment and AugMix pick from, and a jit-safe way to apply one
(to images, and with the same draw to segmentation masks or bounding boxes)."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.auto_contrast import AutoContrast
from kernelkit.layers.augmentation.equalization import Equalization
from kernelkit.layers.augmentation.random_brightness import RandomBrightness
from kernelkit.layers.augmentation.random_color_degeneration import RandomColorDegeneration
from kernelkit.layers.augmentation.random_contrast import RandomContrast
from kernelkit.layers.augmentation.random_posterization import RandomPosterization
from kernelkit.layers.augmentation.random_rotation import RandomRotation
from kernelkit.layers.augmentation.random_sharpness import RandomSharpness
from kernelkit.layers.augmentation.random_shear import RandomShear
from kernelkit.layers.augmentation.random_translation import RandomTranslation
from kernelkit.layers.augmentation.solarization import Solarization

__all__ = ["apply_choice", "apply_choice_to_boxes", "apply_choice_to_masks", "make_menu"]

GEOMETRIC_AND_HISTOGRAM = ("random_shear", "random_translation", "random_rotation",
                           "random_posterization", "solarization", "auto_contrast",
                           "equalization")
COLOUR = ("random_brightness", "random_color_degeneration", "random_contrast",
          "random_sharpness")


def make_menu(order, factor, value_range, interpolation, seed, data_format, dtype):
    """The augmentation layers named in `order`, all of strength `factor` `(lower, upper)`.

    Example:
        >>> [type(l).__name__ for l in make_menu(("random_shear", "equalization"), (0, 0.5),
        ...                                       (0, 255), "bilinear", 0, None, None)]
        ['RandomShear', 'Equalization']
    """
    common = {"data_format": data_format, "dtype": dtype}
    colour = {"value_range": value_range, "seed": seed, **common}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor,
                                            interpolation=interpolation, seed=seed, **common),
        "random_translation": lambda: RandomTranslation(factor, factor,
                                                        interpolation=interpolation, seed=seed,
                                                        **common),
        "random_rotation": lambda: RandomRotation(factor, interpolation=interpolation, seed=seed,
                                                  **common),
        "random_brightness": lambda: RandomBrightness(factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor, **colour),
        "random_contrast": lambda: RandomContrast(factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor, **colour),
        "random_posterization": lambda: RandomPosterization(max(1, int(8 * factor[1])), **colour),
        "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor,
                                             **colour),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, **common),
        "equalization": lambda: Equalization(value_range=value_range, **common),
    }
    return [makers[name]() for name in order]


def apply_choice(menu, index, images, key):
    """Applies `menu[index]` (a traced index; `len(menu)` means none) with a draw from `key`.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> menu = make_menu(("auto_contrast",), (0, 0.5), (0, 255), "bilinear", 0, None, None)
        >>> apply_choice(menu, jnp.array(1), jnp.ones((1, 2, 2, 3)), jax.random.key(0)).shape
        (1, 2, 2, 3)
    """
    return _switch(tuple(menu), index, images, key)


@functools.partial(jax.jit, static_argnums=0)
def _switch(menu, index, images, key):
    # jitted so that eager calls trace the menu's branches once per shape, not per call
    def branch(layer):
        def run(x):
            return layer.transform_images(x, layer.get_random_transformation(x, key)).astype(
                x.dtype)
        return run

    return jax.lax.switch(index, [branch(layer) for layer in menu] + [lambda x: x], images)


def apply_choice_to_masks(menu, index, masks, key):
    """Moves segmentation masks as `apply_choice(menu, index, images, key)` moved the images.

    Geometric choices warp them (nearest), the others leave them alone.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> menu = make_menu(("random_rotation",), (0.25, 0.25), (0, 255), "bilinear", 0,
        ...                  None, None)
        >>> masks = jnp.arange(9.0).reshape(1, 3, 3, 1)
        >>> apply_choice_to_masks(menu, jnp.array(0), masks, jax.random.key(0))[0, ..., 0].tolist()
        [[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
    """
    return _switch_masks(tuple(menu), index, masks, key)


def apply_choice_to_boxes(menu, index, bounding_boxes, images_shape, key):
    """Moves `xyxy` `{"boxes", "labels"}` as `apply_choice` moved images of `images_shape`.

    The menu's geometric layers must have `bounding_box_format="xyxy"`.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> menu = make_menu(("random_translation",), (0.5, 0.5), (0, 255), "bilinear", 0,
        ...                  None, None)
        >>> menu[0].bounding_box_format = "xyxy"
        >>> boxes = {"boxes": jnp.array([[[0.0, 0.0, 2.0, 2.0]]]), "labels": jnp.array([[1]])}
        >>> out = apply_choice_to_boxes(menu, jnp.array(0), boxes, (1, 4, 4, 3), jax.random.key(0))
        >>> out["boxes"].tolist(), out["labels"].tolist()
        ([[[2.0, 2.0, 4.0, 4.0]]], [[1]])
    """
    boxes = {"boxes": bounding_boxes["boxes"], "labels": bounding_boxes["labels"]}
    return {**bounding_boxes,
            **_switch_boxes(tuple(menu), index, boxes, tuple(images_shape), key)}


@functools.partial(jax.jit, static_argnums=0)
def _switch_masks(menu, index, masks, key):
    def branch(layer):
        def run(x):
            return layer.transform_segmentation_masks(
                x, layer.get_random_transformation(x, key)).astype(x.dtype)
        return run

    return jax.lax.switch(index, [branch(layer) for layer in menu] + [lambda x: x], masks)


@functools.partial(jax.jit, static_argnums=(0, 3))
def _switch_boxes(menu, index, boxes, images_shape, key):
    def branch(layer):
        def run(b):
            if not layer._GEOMETRIC:
                return b
            # the draw depends on the images' shape only, so a stand-in replays it
            transformation = layer.get_random_transformation(jnp.zeros(images_shape), key)
            return layer.transform_bounding_boxes(b, transformation, images_shape)
        return run

    return jax.lax.switch(index, [branch(layer) for layer in menu] + [lambda b: b], boxes)
