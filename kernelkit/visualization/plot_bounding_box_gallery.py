"""`plot_bounding_box_gallery`: images with true and predicted boxes drawn, in a grid."""

from __future__ import annotations

import numpy as np
from matplotlib import patches

from kernelkit import config
from kernelkit.visualization.draw_bounding_boxes import draw_bounding_boxes
from kernelkit.visualization.plot_image_gallery import plot_image_gallery

__all__ = ["plot_bounding_box_gallery"]


def plot_bounding_box_gallery(images, bounding_box_format, y_true=None, y_pred=None,
                              value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness=2, font_scale=1.0,
                              text_thickness=None, class_mapping=None,
                              ground_truth_mapping=None, prediction_mapping=None,
                              legend=False, legend_handles=None, rows=None, cols=None,
                              data_format=None, **kwargs):
    """Draws `y_true` and `y_pred` boxes onto the images and plots them as a gallery.

    Args:
        images: A batch `(batch, height, width, 3)`.
        bounding_box_format: The boxes' format.
        y_true: Optional true boxes, a dict with `"boxes"` and `"labels"`.
        y_pred: Optional predicted boxes, the same form (may hold `"confidences"`).
        value_range: The images' value range.
        true_color: The RGB color of true boxes.
        pred_color: The RGB color of predicted boxes.
        line_thickness: The box line width.
        font_scale: The label text size.
        text_thickness: The text stroke width.
        class_mapping: Dict from label to name, for both kinds of boxes.
        ground_truth_mapping: Dict for true boxes (default `class_mapping`).
        prediction_mapping: Dict for predicted boxes (default `class_mapping`).
        legend: Whether to add a "Ground Truth" / "Prediction" legend.
        legend_handles: Custom legend handles (instead of `legend`).
        rows: Grid rows.
        cols: Grid columns.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).

    Returns:
        What `plot_image_gallery` returns.

    Raises:
        ValueError: for images that are not a 4D batch, or both `legend` and
            `legend_handles`.

    Example:
        >>> import numpy as np
        >>> boxes = {"boxes": np.array([[[1, 1, 6, 6]]]), "labels": np.array([[0]])}
        >>> figure = plot_bounding_box_gallery(np.zeros((1, 8, 8, 3)), "xyxy", y_true=boxes,
        ...                                    legend=True, show=False)
        >>> len(figure.legends)
        1
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            "plot_bounding_box_gallery: expected a batch of images. Expected a 4D array. "
            f"Received: images with shape {images.shape}."
        )
    if (data_format or config.image_data_format()) == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    drawn = images
    for boxes, color, mapping in ((y_true, true_color, ground_truth_mapping or class_mapping),
                                  (y_pred, pred_color, prediction_mapping or class_mapping)):
        if boxes is not None:
            drawn = draw_bounding_boxes(drawn, boxes, bounding_box_format, mapping, color,
                                        line_thickness, text_thickness, font_scale,
                                        data_format="channels_last")
    if legend:
        if legend_handles:
            raise ValueError(
                "plot_bounding_box_gallery: pass `legend` or `legend_handles`, not both. "
                "Expected one of them. Received: legend=True and legend_handles."
            )
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    return plot_image_gallery(drawn, value_range=value_range, legend_handles=legend_handles,
                              rows=rows, cols=cols, data_format="channels_last", **kwargs)
