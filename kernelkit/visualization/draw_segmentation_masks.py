"""`draw_segmentation_masks`: class masks painted (or blended) onto a batch of images."""

from __future__ import annotations

import numpy as np

from kernelkit import config

__all__ = ["draw_segmentation_masks", "mask_palette"]


def mask_palette(num_classes):
    """Keras's default class colors: class `i` gets `(i * [2**25-1, 2**15-1, 2**21-1]) % 255`.

    Example:
        >>> mask_palette(2)
        [[0, 0, 0], [1, 127, 31]]
    """
    palette = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * palette) % 255).tolist() for i in range(num_classes)]


def draw_segmentation_masks(images, segmentation_masks, num_classes=None, color_mapping=None,
                            alpha=0.8, blend=True, ignore_index=-1, data_format=None):
    """Paints each pixel of class `c < num_classes` with class `c`'s color, as Keras does.

    Pixels equal to `ignore_index` keep the image. With `blend`, the colors are mixed in
    (`image * (1 - alpha) + color * alpha`) and the result is uint8; otherwise float32.
    Without `num_classes`, Keras's rule applies: `num_classes = max(mask)` (so the largest
    class is not painted).

    Args:
        images: A batch `(batch, height, width, 3)` (channels first if `data_format` says).
        segmentation_masks: Integer masks `(batch, height, width, 1)`.
        num_classes: The number of classes to paint.
        color_mapping: Optional dict from class to RGB color.
        alpha: The blending weight of the colors.
        blend: Whether to blend (uint8 output) or paint over (float32 output).
        ignore_index: The mask value left unpainted.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        The painted batch, `(batch, height, width, 3)`.

    Raises:
        ValueError: for images that are not a 4D batch.
        TypeError: for masks that are not integers.

    Example:
        >>> import numpy as np
        >>> masks = np.array([[[[0], [1]]]])
        >>> draw_segmentation_masks(np.zeros((1, 1, 2, 3)), masks, num_classes=2,
        ...                         alpha=1.0)[0].tolist()
        [[[0, 0, 0], [1, 127, 31]]]
    """
    who = "draw_segmentation_masks"
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            f"{who}: expected a batch of images. Expected a 4D array. Received: images with "
            f"shape {images.shape}."
        )
    masks = np.asarray(segmentation_masks)
    if (data_format or config.image_data_format()) == "channels_first":
        images, masks = images.transpose(0, 2, 3, 1), masks.transpose(0, 2, 3, 1)
    if masks.dtype.kind not in "iu":
        raise TypeError(
            f"{who}: `segmentation_masks` must hold integer class ids. Expected an integer "
            f"dtype. Received: segmentation_masks.dtype={masks.dtype.name}. Cast with "
            ".astype('int32')."
        )
    images = images.astype("float32")
    if num_classes is None:
        num_classes = int(masks.max())
    colors = mask_palette(num_classes) if color_mapping is None else [
        color_mapping[i] for i in range(num_classes)]
    classes = masks[..., 0]  # (batch, height, width)
    painted = images.copy()
    for c, color in enumerate(colors):
        painted[classes == c] = np.asarray(color, dtype="float32")
    if not blend:
        return painted
    mixed = images * (1 - alpha) + painted * alpha
    mixed = np.where((classes != ignore_index)[..., None], mixed, images)
    return mixed.astype("uint8")
