"""Image galleries, boxes and masks (Keras's `keras.visualization`), on matplotlib's OO API.

Example:
    >>> import numpy as np, kernelkit as kk
    >>> figure = kk.visualization.plot_image_gallery(np.zeros((2, 4, 4, 3)), show=False)
    >>> len(figure.axes)
    2
"""

from kernelkit.visualization.draw_bounding_boxes import draw_bounding_boxes
from kernelkit.visualization.draw_segmentation_masks import draw_segmentation_masks
from kernelkit.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery
from kernelkit.visualization.plot_image_gallery import plot_image_gallery
from kernelkit.visualization.plot_segmentation_mask_gallery import (
    plot_segmentation_mask_gallery,
)

__all__ = ["draw_bounding_boxes", "draw_segmentation_masks", "plot_bounding_box_gallery",
           "plot_image_gallery", "plot_segmentation_mask_gallery"]
