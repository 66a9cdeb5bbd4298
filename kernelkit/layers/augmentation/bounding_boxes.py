"""Bounding-box formats (Keras's names) converted to and from `xyxy` pixels, clipping, and the
checks of the `"bounding_boxes"` entry the augmentation layers take."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.errors import describe

__all__ = ["FORMATS", "check_bounding_boxes", "check_format", "clip_boxes", "from_xyxy",
           "to_xyxy"]

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
    fmt = fmt.lower()
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
    fmt = fmt.lower()
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


def check_format(who: str, bounding_box_format) -> None:
    """Raises a `ValueError` naming `who` unless the format is None or one of `FORMATS`.

    Example:
        >>> check_format("RandomZoom 'z'", "rel_xyxy")
    """
    if bounding_box_format is None:
        return
    if not isinstance(bounding_box_format, str) or bounding_box_format.lower() not in FORMATS:
        raise ValueError(
            f"{who}: unknown `bounding_box_format`. Expected one of {FORMATS}. Received: "
            f"bounding_box_format={bounding_box_format!r}."
        )


def check_bounding_boxes(who: str, bounding_boxes, batched: bool):
    """Validates `{"boxes", "labels"}` and returns it batched, boxes as float32.

    Args:
        who: The layer named in errors.
        bounding_boxes: A dict with `"boxes"` `(batch, n, 4)` (or `(n, 4)` for one image)
            and `"labels"` `(batch, n)` (or `(n,)`).
        batched: Whether the images come as a batch.

    Returns:
        A new dict with `"boxes"` float32 `(batch, n, 4)` and `"labels"` `(batch, n, ...)`.

    Example:
        >>> out = check_bounding_boxes("RandomZoom 'z'", {"boxes": [[0, 0, 1, 1]],
        ...                                               "labels": [3]}, batched=False)
        >>> out["boxes"].shape, out["labels"].shape
        ((1, 1, 4), (1, 1))
    """
    if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
        keys = sorted(bounding_boxes) if isinstance(bounding_boxes, dict) else None
        raise ValueError(
            f"{who}: invalid 'bounding_boxes'. Expected a dict with 'boxes' and 'labels'. "
            f"Received: bounding_boxes={type(bounding_boxes).__name__} with keys={keys}."
        )
    boxes = jnp.asarray(bounding_boxes["boxes"], jnp.float32)
    labels = jnp.asarray(bounding_boxes["labels"])
    rank = 3 if batched else 2
    if boxes.ndim != rank or boxes.shape[-1] != 4:
        expected = "(batch, num_boxes, 4)" if batched else "(num_boxes, 4) for one image"
        raise ValueError(
            f"{who}: invalid bounding_boxes['boxes'] shape. Expected {expected}. Received: "
            f"boxes={describe(boxes)}. Give 4 coordinates per box, with a batch axis exactly "
            "when the images have one."
        )
    if labels.shape[:rank - 1] != boxes.shape[:-1]:
        raise ValueError(
            f"{who}: bounding_boxes['labels'] does not match the boxes. Expected the shape "
            f"{tuple(boxes.shape[:-1])}. Received: labels={describe(labels)}. Give one label "
            "per box."
        )
    if not batched:
        boxes, labels = boxes[None], labels[None]
    return {**bounding_boxes, "boxes": boxes, "labels": labels}
