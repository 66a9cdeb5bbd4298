"""`BaseImagePreprocessingLayer`: the call protocol shared by image preprocessing layers.

A subclass says how to draw one random transformation for a batch
(`get_random_transformation`) and how to apply it (`transform_images`, and optionally
`transform_labels` / `transform_segmentation_masks`). The base class takes one image or a batch
(rank 3 or 4, NumPy or JAX, or a dict with `"images"`, `"labels"`, `"segmentation_masks"`),
draws the transformation from the layer's seed stream only when `training` is true (the
default when the layer is called directly, as in Keras; a model's `predict()`/`evaluate()` pass
`training=False`), and stays pure JAX so an augmented `fit()` traces into one jitted step.
"""

from __future__ import annotations

import numbers

import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.augmentation.bounding_boxes import check_bounding_boxes, check_format
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.layers.spatial_arguments import to_data_format

__all__ = ["BaseImagePreprocessingLayer", "parse_factor", "parse_value_range", "rescale_range"]


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def parse_factor(who: str, factor, bounds=(-1, 1), arg: str = "factor"):
    """`(lower, upper)` from a number `f` (giving `(max(-f, bounds[0]), f)`) or a pair.

    Example:
        >>> parse_factor("RandomContrast 'c'", 0.2, bounds=(0, 1))
        (0, 0.2)
        >>> parse_factor("RandomRotation 'r'", (0.3, -0.1))
        (-0.1, 0.3)
    """
    message = (f"{who}: invalid `{arg}`. Expected a number or a pair of numbers in "
               f"[{bounds[0]}, {bounds[1]}]. Received: {arg}={factor!r}.")
    if isinstance(factor, tuple | list):
        if len(factor) != 2 or not all(_is_number(f) for f in factor):
            raise ValueError(message)
        if factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(message)
        lower, upper = sorted(factor)
        return lower, upper
    if not _is_number(factor) or not bounds[0] <= factor <= bounds[1]:
        raise ValueError(message)
    factor = abs(factor)
    return max(-factor, bounds[0]), factor


def parse_value_range(who: str, value_range):
    """Checks `value_range` is a pair of numbers and returns it sorted, as a list.

    Example:
        >>> parse_value_range("RandomBrightness 'b'", (255, 0))
        [0, 255]
    """
    if (not isinstance(value_range, tuple | list) or len(value_range) != 2
            or not all(_is_number(v) for v in value_range)):
        raise ValueError(
            f"{who}: invalid `value_range`. Expected a pair of numbers (low, high). "
            f"Received: value_range={value_range!r}."
        )
    return sorted(value_range)


def rescale_range(images, source, target):
    """Maps values linearly from the `source` range onto the `target` range.

    Example:
        >>> import jax.numpy as jnp
        >>> rescale_range(jnp.array([0.0, 0.5, 1.0]), (0, 1), (0, 255)).tolist()
        [0.0, 127.5, 255.0]
    """
    if source[0] == target[0] and source[1] == target[1]:
        return images
    unit = (images - source[0]) / (source[1] - source[0])
    return unit * (target[1] - target[0]) + target[0]


class BaseImagePreprocessingLayer(Layer):
    """Base of the image preprocessing layers: one image or a batch, random only in training.

    Subclasses set `_RANDOM = False` when they are deterministic, `_GEOMETRIC = True` (and
    define `warp`) when segmentation masks must follow the transform with nearest sampling,
    `_CAST_INPUTS = False` when they keep the input dtype on some paths, and
    `_BOUNDING_BOXES = False` when they cannot move `"bounding_boxes"` (Keras has no box
    transform for them). Geometric layers override `transform_bounding_boxes`; the others pass
    boxes through unchanged.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        bounding_box_format: Format of `"bounding_boxes"` in dict inputs (kept in the config).

    Example:
        >>> import numpy as np
        >>> class Invert(BaseImagePreprocessingLayer):
        ...     _RANDOM = False
        ...     def transform_images(self, images, transformation, training=True):
        ...         return 1.0 - images
        >>> Invert()(np.zeros((2, 2, 1))).ravel().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    _RANDOM = True
    _GEOMETRIC = False
    _CAST_INPUTS = True
    _BOUNDING_BOXES = True

    def __init__(self, data_format=None, bounding_box_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = to_data_format(self._who, data_format)
        check_format(self._who, bounding_box_format)
        self.bounding_box_format = bounding_box_format
        self.built = True

    @property
    def _who(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _init_seed(self, seed) -> None:
        self.seed = seed
        self.seed_stream = seed_stream(seed)

    @property
    def _height_axis(self) -> int:
        return -3 if self.data_format == "channels_last" else -2

    def _image_size_of(self, shape) -> tuple[int, int]:
        h = len(shape) + self._height_axis
        return shape[h], shape[h + 1]

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else -3

    # ---- the protocol subclasses fill in ------------------------------------------------------

    def get_random_transformation(self, images, key):
        """Draws the transformation of a batch `(batch, ...)` from `key`; `None` by default."""
        return None

    def transform_images(self, images, transformation, training=True):
        """Applies `transformation` to a batch of images (identity by default)."""
        return images

    def transform_labels(self, labels, transformation, training=True):
        """Labels pass through unchanged by default."""
        return labels

    def transform_segmentation_masks(self, masks, transformation, training=True):
        """Masks follow geometric transforms (nearest interpolation) and ignore colour ones."""
        if not self._GEOMETRIC or transformation is None:
            return masks
        return self.warp(masks, transformation, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape,
                                 training=True):
        """Moves a batch of boxes with the images; unchanged by default (colour layers).

        Args:
            bounding_boxes: `{"boxes": float32 (batch, n, 4), "labels": (batch, n), ...}`,
                boxes in the layer's `bounding_box_format`.
            transformation: What `get_random_transformation` drew (None at inference).
            images_shape: The shape of the batch of input images.
            training: Whether the layer is called in training.

        Returns:
            The transformed dict, boxes in `bounding_box_format`.
        """
        return bounding_boxes

    def warp(self, images, transformation, interpolation):
        """Geometric layers: applies `transformation` with `interpolation` (images or masks)."""
        raise NotImplementedError(f"{type(self).__name__} does not define warp().")

    # ---- the call ----------------------------------------------------------------------------

    def _check_images(self, images, arg="inputs"):
        if not hasattr(images, "ndim") or images.ndim not in (3, 4):
            raise ValueError(
                f"{self._who}: expected images of rank 3 (height, width, channels) or 4 "
                f"(batch, height, width, channels). Received: {arg}={describe(images)}. "
                "Add or remove the batch axis."
            )
        if self._CAST_INPUTS:
            images = images.astype(self.compute_dtype)
        return images

    def _transformation(self, batch, training):
        if not training or not self._RANDOM:
            return self.get_random_transformation(batch, None) if not self._RANDOM else None
        return self.get_random_transformation(batch, self.seed_stream())

    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            return self._call_dict(inputs, training)
        images = self._check_images(inputs)
        batched = images.ndim == 4
        batch = images if batched else images[None]
        out = self.transform_images(batch, self._transformation(batch, training), training)
        return out if batched else out[0]

    def _call_dict(self, data, training):
        if "images" not in data:
            raise ValueError(
                f"{self._who}: a dict input needs an 'images' entry. Expected keys among "
                "'images', 'labels', 'segmentation_masks', 'bounding_boxes'. Received: "
                f"keys={sorted(data)}."
            )
        images = self._check_images(jnp.asarray(data["images"]), "data['images']")
        batched = images.ndim == 4
        if "bounding_boxes" in data:  # checked before any work on the images
            boxes = self._check_boxes(data["bounding_boxes"], batched)

        def batch(x):
            x = jnp.asarray(x)
            return x if batched else x[None]

        def unbatch(x):
            return x if batched else x[0]

        b_images = batch(images)
        transformation = self._transformation(b_images, training)
        out = dict(data)
        out["images"] = unbatch(self.transform_images(b_images, transformation, training))
        if "labels" in data:
            out["labels"] = unbatch(self.transform_labels(batch(data["labels"]), transformation,
                                                          training))
        if "segmentation_masks" in data:
            out["segmentation_masks"] = unbatch(self.transform_segmentation_masks(
                batch(data["segmentation_masks"]), transformation, training))
        if "bounding_boxes" in data:
            out["bounding_boxes"] = self._call_boxes(boxes, transformation, b_images.shape,
                                                     batched, training)
        return out

    def _check_boxes(self, bounding_boxes, batched):
        if not self._BOUNDING_BOXES:
            raise ValueError(
                f"{self._who}: bounding boxes are not supported by this layer (nor by Keras's). "
                "Expected a dict with 'images', 'labels' and 'segmentation_masks'. Received: "
                "a dict with 'bounding_boxes'. Transform the boxes separately."
            )
        if not self.bounding_box_format:
            raise ValueError(
                f"{self._who}: the input has 'bounding_boxes' but the layer has no "
                "`bounding_box_format`. Expected e.g. bounding_box_format='xyxy'. "
                "Received: bounding_box_format=None."
            )
        return check_bounding_boxes(self._who, bounding_boxes, batched)

    def _call_boxes(self, boxes, transformation, images_shape, batched, training):
        out = self.transform_bounding_boxes(boxes, transformation, images_shape, training)
        if batched:
            return out
        return {**out, "boxes": out["boxes"][0], "labels": out["labels"][0]}

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
