"""`plot_image_gallery`: a batch of images in a grid, titled with true and predicted labels."""

from __future__ import annotations

import math

import numpy as np

from kernelkit import config
from kernelkit.visualization.gallery_figure import finish_figure, image_grid, to_uint8_range

__all__ = ["plot_image_gallery"]


def plot_image_gallery(images, y_true=None, y_pred=None, label_map=None, rows=None,
                       cols=None, value_range=(0, 255), scale=2, path=None, show=None,
                       transparent=True, dpi=60, legend_handles=None, data_format=None):
    """Plots a batch of images in a grid (as Keras's `plot_image_gallery`).

    Args:
        images: A batch `(batch, height, width, channels)` (channels first if
            `data_format` says so).
        y_true: Optional true labels, shown as titles through `label_map`.
        y_pred: Optional predicted labels, shown as titles through `label_map`.
        label_map: Dict from label to name; required with `y_true` or `y_pred`.
        rows: Grid rows (default: about the square root of the batch).
        cols: Grid columns.
        value_range: The images' value range, mapped to [0, 255].
        scale: Inches per image.
        path: Optional file to save the gallery to.
        show: Whether to display it (default: when no `path`).
        transparent: Whether a saved background is transparent.
        dpi: The saved or shown resolution.
        legend_handles: Optional matplotlib handles for a legend below the grid.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        The matplotlib `Figure`, unless it was saved or displayed in a notebook (then `None`).

    Raises:
        ValueError: for both `path` and `show=True`, labels without `label_map`, or images
            that are not a 4D batch.

    Example:
        >>> import numpy as np
        >>> figure = plot_image_gallery(np.zeros((4, 8, 8, 3)), show=False)
        >>> len(figure.axes)
        4
    """
    who = "plot_image_gallery"
    if path is not None and show:
        raise ValueError(
            f"{who}: `path` and `show=True` exclude each other. Expected one of them. "
            f"Received: path={path!r}, show={show}."
        )
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            f"{who}: labels need a `label_map` to name them. Expected label_map={{label: "
            "name}. Received: label_map=None. Pass a dict from label to name."
        )
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            f"{who}: expected a batch of images. Expected a 4D array. Received: images with "
            f"shape {images.shape}. Add a batch axis with images[None]."
        )
    if (data_format or config.image_data_format()) == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    batch = images.shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch)))
    cols = cols or int(math.ceil(batch // rows))
    images = to_uint8_range(images[:rows * cols], value_range)
    figure, axes = image_grid(rows, cols, scale)
    if legend_handles is not None:
        figure.legend(handles=legend_handles, loc="lower center")
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index >= len(images):
            continue
        image = images[index].astype("uint8")
        axis.imshow(image[..., 0] if image.shape[-1] == 1 else image,
                    cmap="gray" if image.shape[-1] == 1 else None)
        axis.margins(x=0, y=0)
        parts = []
        if y_true is not None and index < len(y_true):
            parts.append(f"Label: {label_map.get(np.asarray(y_true)[index], 'Unknown')}")
        if y_pred is not None and index < len(y_pred):
            parts.append(f"Pred: {label_map.get(np.asarray(y_pred)[index], 'Unknown')}")
        if parts:
            axis.set_title("  ".join(parts), fontsize=8)
    return finish_figure(figure, path, show, transparent, dpi)
