"""`draw_bounding_boxes`: boxes (and class names) drawn onto a batch of images, with Pillow."""

from __future__ import annotations

import numpy as np

from kernelkit import config
from kernelkit.data.bounding_boxes import convert_format

__all__ = ["draw_bounding_boxes"]


def _as_uint8(images):
    images = np.asarray(images)
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    return images.astype("uint8")


def _text_origin(x, y, font_scale, thickness):
    """Above the box when there is room, else just inside it (Keras's placement)."""
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8 - font_height
    return x + 3, y + thickness + 3


def draw_bounding_boxes(images, bounding_boxes, bounding_box_format, class_mapping=None,
                        color=(128, 128, 128), line_thickness=2, text_thickness=1,
                        font_scale=1.0, data_format=None):
    """Draws each image's boxes, and the names of mapped classes, onto copies of the images.

    Boxes with label -1 (padding) are skipped; with `"confidences"` in `bounding_boxes`
    the score follows the class name. Float images in [0, 1] are scaled to [0, 255].

    Args:
        images: A batch `(batch, height, width, 3)` (channels first if `data_format` says).
        bounding_boxes: A dict with `"boxes"` `(batch, n, 4)`, `"labels"` `(batch, n)` and
            optionally `"confidences"` `(batch, n)`.
        bounding_box_format: The boxes' format (`"xyxy"`, `"rel_yxyx"`, ...).
        class_mapping: Optional dict from label to the name written by the box.
        color: The RGB color of boxes and text.
        line_thickness: The box line width in pixels.
        text_thickness: The text stroke width (default: `line_thickness`).
        font_scale: The text size, relative to a 12-pixel font.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        A uint8 NumPy batch `(batch, height, width, 3)` with the boxes drawn.

    Raises:
        ValueError: for images that are not a 4D batch, or a dict without boxes and labels.
        TypeError: if `bounding_boxes` is not a dict.

    Example:
        >>> import numpy as np
        >>> boxes = {"boxes": np.array([[[1, 1, 6, 6]]]), "labels": np.array([[0]])}
        >>> out = draw_bounding_boxes(np.zeros((1, 8, 8, 3)), boxes, "xyxy",
        ...                           color=(255, 0, 0), line_thickness=1)
        >>> out[0, 1, 3].tolist(), out[0, 3, 3].tolist()
        ([255, 0, 0], [0, 0, 0])
    """
    from PIL import Image, ImageDraw, ImageFont

    who = "draw_bounding_boxes"
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            f"{who}: expected a batch of images. Expected a 4D array. Received: images with "
            f"shape {images.shape}."
        )
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            f"{who}: `bounding_boxes` must be a dict with 'boxes' and 'labels'. Received: "
            f"bounding_boxes of type {type(bounding_boxes).__name__}."
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            f"{who}: `bounding_boxes` needs 'boxes' and 'labels' keys. Expected both. "
            f"Received: keys {sorted(bounding_boxes)}."
        )
    if (data_format or config.image_data_format()) == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    height, width = images.shape[1:3]
    boxes = np.asarray(convert_format(np.asarray(bounding_boxes["boxes"], "float32"),
                                      bounding_box_format, "xyxy", height, width))
    labels = np.asarray(bounding_boxes["labels"])
    confidences = bounding_boxes.get("confidences")
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    font = ImageFont.load_default(size=max(int(12 * font_scale), 6))
    out = []
    for i, image in enumerate(_as_uint8(images)):
        canvas = Image.fromarray(np.ascontiguousarray(image[..., :3]))
        pen = ImageDraw.Draw(canvas)
        for j, box in enumerate(boxes[i]):
            label = int(labels[i][j])
            if label == -1:
                continue
            x1, y1, x2, y2 = (int(v) for v in box.astype("int32"))
            pen.rectangle([x1, y1, x2, y2], outline=tuple(color), width=line_thickness)
            if label in class_mapping:
                text = class_mapping[label]
                if confidences is not None:
                    text = f"{text} | {float(np.asarray(confidences)[i][j]):.2f}"
                pen.text(_text_origin(x1, y1, font_scale, text_thickness), text,
                         fill=tuple(color), font=font)
        out.append(np.asarray(canvas))
    return np.stack(out, axis=0)
