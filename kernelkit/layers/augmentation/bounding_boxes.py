"""Bounding-box formats (Keras's names) converted to and from `xyxy` pixels, and clipping."""

from __future__ import annotations

import jax.numpy as jnp

__all__ = ["FORMATS", "clip_boxes", "from_xyxy", "to_xyxy"]

FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx",
           "rel_xywh", "rel_center_xywh")


def _split(boxes):
    return (boxes[..., i:i + 1] for i in range(4))


def to_xyxy(boxes, fmt, height, width):
    """Boxes `(..., 4)` in `fmt` as `xyxy` pixel corners.

    Example:
        >>> import jax.numpy as jnp
        >>> to_xyxy(jnp.array([[0.5, 0.5, 0.5, 0.5]]), "rel_center_xywh", 10, 20).tolist()
        [[5.0, 2.5, 15.0, 7.5]]
    """
    relative = fmt.startswith("rel_")
    a, b, c, d = _split(boxes.astype(jnp.float32))
    base = fmt[4:] if relative else fmt
    if base == "xyxy":
        out = (a, b, c, d)
    elif base == "yxyx":
        out = (b, a, d, c)
    elif base == "xywh":
        out = (a, b, a + c, b + d)
    elif base == "center_xywh":
        out = (a - c / 2.0, b - d / 2.0, a + c / 2.0, b + d / 2.0)
    else:  # center_yxhw
        out = (b - d / 2.0, a - c / 2.0, b + d / 2.0, a + c / 2.0)
    if relative:
        out = (out[0] * width, out[1] * height, out[2] * width, out[3] * height)
    return jnp.concatenate(out, axis=-1)


def from_xyxy(boxes, fmt, height, width):
    """`xyxy` pixel corners `(..., 4)` in the format `fmt`.

    Example:
        >>> import jax.numpy as jnp
        >>> from_xyxy(jnp.array([[5.0, 2.5, 15.0, 7.5]]), "xywh", 10, 20).tolist()
        [[5.0, 2.5, 10.0, 5.0]]
    """
    x1, y1, x2, y2 = _split(boxes)
    relative = fmt.startswith("rel_")
    if relative:
        x1, y1, x2, y2 = x1 / width, y1 / height, x2 / width, y2 / height
    base = fmt[4:] if relative else fmt
    w, h = x2 - x1, y2 - y1
    out = {"xyxy": (x1, y1, x2, y2), "yxyx": (y1, x1, y2, x2), "xywh": (x1, y1, w, h),
           "center_xywh": (x1 + w / 2.0, y1 + h / 2.0, w, h),
           "center_yxhw": (y1 + h / 2.0, x1 + w / 2.0, h, w)}[base]
    return jnp.concatenate(out, axis=-1)


def clip_boxes(boxes, labels, height, width):
    """Clips `xyxy` boxes to `[0, width] x [0, height]`; labels of empty boxes become -1.

    Example:
        >>> import jax.numpy as jnp
        >>> boxes, labels = clip_boxes(jnp.array([[-1.0, 0, 3, 2], [5, 5, 5, 9]]),
        ...                            jnp.array([1, 2]), 4, 4)
        >>> boxes.tolist(), labels.tolist()
        ([[0.0, 0.0, 3.0, 2.0], [4.0, 4.0, 4.0, 4.0]], [1, -1])
    """
    x1, y1, x2, y2 = _split(boxes)
    x1, x2 = jnp.clip(x1, 0, width), jnp.clip(x2, 0, width)
    y1, y2 = jnp.clip(y1, 0, height), jnp.clip(y2, 0, height)
    boxes = jnp.concatenate([x1, y1, x2, y2], axis=-1)
    if labels is not None:
        area = ((x2 - x1) * (y2 - y1))[..., 0]
        labels = jnp.where(area > 0, labels, -1)
    return boxes, labels
