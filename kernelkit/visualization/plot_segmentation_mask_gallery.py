"""`plot_segmentation_mask_gallery`: each image beside its true and predicted masks."""

from __future__ import annotations

import numpy as np

from kernelkit import config
from kernelkit.visualization.draw_segmentation_masks import draw_segmentation_masks
from kernelkit.visualization.plot_image_gallery import plot_image_gallery

__all__ = ["plot_segmentation_mask_gallery"]


def plot_segmentation_mask_gallery(images, num_classes, value_range=(0, 255), y_true=None,
                                   y_pred=None, color_mapping=None, blend=True, alpha=0.8,
                                   ignore_index=-1, data_format=None, **kwargs):
    """Plots one row per image: the image, then its `y_true` and `y_pred` masks drawn on it.

    Args:
        images: A batch `(batch, height, width, 3)`.
        num_classes: The number of classes to paint.
        value_range: The images' value range.
        y_true: Optional true masks `(batch, height, width, 1)`.
        y_pred: Optional predicted masks, the same shape.
        color_mapping: Optional dict from class to RGB color.
        blend: Whether to blend the colors into the image.
        alpha: The blending weight.
        ignore_index: The mask value left unpainted.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).

    Returns:
        What `plot_image_gallery` returns.

    Raises:
        ValueError: for images that are not a 4D batch.

    Example:
        >>> import numpy as np
        >>> masks = np.zeros((2, 4, 4, 1), "int32")
        >>> figure = plot_segmentation_mask_gallery(np.zeros((2, 4, 4, 3)), 2, y_true=masks,
        ...                                         show=False)
        >>> len(figure.axes)  # 2 rows: image, true mask
        4
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            "plot_segmentation_mask_gallery: expected a batch of images. Expected a 4D "
            f"array. Received: images with shape {images.shape}."
        )
    first = (data_format or config.image_data_format()) == "channels_first"
    if first:
        images = images.transpose(0, 2, 3, 1)
    columns = [images]
    for masks in (y_true, y_pred):
        if masks is not None:
            masks = np.asarray(masks)
            masks = (masks.transpose(0, 2, 3, 1) if first else masks).astype("int32")
            columns.append(draw_segmentation_masks(images, masks, num_classes, color_mapping,
                                                   alpha, blend, ignore_index,
                                                   "channels_last"))
    gallery = np.stack([c[i].astype("float32") for i in range(len(images)) for c in columns])
    return plot_image_gallery(gallery, value_range=value_range, rows=len(images),
                              cols=len(columns), data_format="channels_last", **kwargs)
