"""Bounding-box helpers (Keras's `keras.utils.bounding_boxes`): format conversion, clipping,
cropping, padding and IoU, on JAX arrays.

Formats: `"xyxy"`, `"yxyx"`, `"xywh"`, `"center_xywh"`, `"center_yxhw"` (pixels) and
`"rel_xyxy"`, `"rel_yxyx"`, `"rel_xywh"`, `"rel_center_xywh"` (fractions of the image).
Boxes are JAX arrays throughout.
"""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import config

__all__ = ["affine_transform", "clip_to_image_size", "compute_ciou",
           "compute_iou", "convert_format", "crop", "decode_deltas_to_boxes",
           "encode_box_to_deltas", "pad"]

SUPPORTED_FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy",
                     "rel_yxyx", "rel_xywh", "rel_center_xywh")


def _to_xyxy(b, fmt, h, w):
    a, c, d, e = (b[..., i:i + 1] for i in range(4))
    if fmt == "xyxy":
        return b
    if fmt == "yxyx":
        return jnp.concatenate([c, a, e, d], -1)
    if fmt == "xywh":
        return jnp.concatenate([a, c, a + d, c + e], -1)
    if fmt == "center_xywh":
        return jnp.concatenate([a - d / 2.0, c - e / 2.0, a + d / 2.0, c + e / 2.0], -1)
    if fmt == "center_yxhw":  # (cy, cx, h, w)
        return jnp.concatenate([c - e / 2.0, a - d / 2.0, c + e / 2.0, a + d / 2.0], -1)
    absolute = _to_xyxy(b, fmt.removeprefix("rel_"), None, None)
    return absolute * jnp.stack([w, h, w, h])


def _from_xyxy(b, fmt, h, w):
    x1, y1, x2, y2 = (b[..., i:i + 1] for i in range(4))
    if fmt == "xyxy":
        return b
    if fmt == "yxyx":
        return jnp.concatenate([y1, x1, y2, x2], -1)
    if fmt == "xywh":
        return jnp.concatenate([x1, y1, x2 - x1, y2 - y1], -1)
    if fmt == "center_xywh":
        return jnp.concatenate([x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0, x2 - x1, y2 - y1],
                               -1)
    if fmt == "center_yxhw":
        return jnp.concatenate([y1 + (y2 - y1) / 2.0, x1 + (x2 - x1) / 2.0, y2 - y1, x2 - x1],
                               -1)
    relative = b / jnp.stack([w, h, w, h])
    return _from_xyxy(relative, fmt.removeprefix("rel_"), None, None)


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts boxes between formats (a dict's `"boxes"` entry is converted in place).

    Args:
        boxes: An array `(..., 4)`, or a dict with a `"boxes"` entry.
        source: The boxes' format.
        target: The wanted format.
        height: Image height, needed for relative formats.
        width: Image width, needed for relative formats.
        dtype: The output dtype.

    Returns:
        The converted boxes (the same dict for dict input).

    Raises:
        ValueError: for an unknown format, a last axis other than 4, or a relative format
            without `height` and `width`.

    Example:
        >>> convert_format([[10.0, 20.0, 30.0, 60.0]], "xyxy", "center_xywh").tolist()
        [[20.0, 40.0, 20.0, 40.0]]
    """
    if isinstance(boxes, dict):
        boxes["boxes"] = convert_format(boxes["boxes"], source, target, height, width, dtype)
        return boxes
    boxes = jnp.asarray(boxes)
    if boxes.shape[-1] != 4:
        raise ValueError(
            "convert_format: boxes must have 4 coordinates on the last axis. Expected shape "
            f"(..., 4). Received: boxes with shape {boxes.shape}."
        )
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(
            f"convert_format: unknown box format. Expected one of {SUPPORTED_FORMATS}. "
            f"Received: source={source!r}, target={target!r}."
        )
    relative = source.startswith("rel_") or target.startswith("rel_")
    if relative and (height is None or width is None):
        raise ValueError(
            "convert_format: relative formats need the image size. Expected `height` and "
            f"`width`. Received: source={source!r}, target={target!r}, height={height}, "
            f"width={width}."
        )
    boxes = boxes.astype(dtype)
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    h = None if height is None else jnp.asarray(height, dtype)
    w = None if width is None else jnp.asarray(width, dtype)
    return _from_xyxy(_to_xyxy(boxes, source, h, w), target, h, w)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips `{"boxes", "labels"}` to the image; boxes left with no area get label -1.

    Args:
        bounding_boxes: A dict with `"boxes"` (and optionally `"labels"`).
        height: Image height (needed for `"xyxy"`).
        width: Image width (needed for `"xyxy"`).
        bounding_box_format: `"xyxy"` or `"rel_xyxy"`.

    Returns:
        A new dict with the clipped boxes (and labels).

    Raises:
        NotImplementedError: for other formats, as in Keras.
        ValueError: for `"xyxy"` without `height` and `width`.

    Example:
        >>> out = clip_to_image_size({"boxes": [[-5.0, 2.0, 8.0, 30.0]]}, 10, 10)
        >>> out["boxes"].tolist()
        [[0.0, 2.0, 8.0, 10.0]]
    """
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size: only 'xyxy' and 'rel_xyxy' boxes are supported (as in "
            f"Keras). Received: bounding_box_format={bounding_box_format!r}. Convert with "
            "convert_format first."
        )
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError(
            "clip_to_image_size: 'xyxy' boxes need the image size. Expected `height` and "
            f"`width`. Received: height={height}, width={width}."
        )
    boxes = jnp.asarray(bounding_boxes["boxes"])
    top = jnp.stack([width, height, width, height]).astype(boxes.dtype) if (
        bounding_box_format == "xyxy") else jnp.ones(4, boxes.dtype)
    boxes = jnp.clip(boxes, 0, top)
    result = dict(bounding_boxes, boxes=boxes)
    if bounding_boxes.get("labels") is not None:
        area = (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
        result["labels"] = jnp.where(area > 0, jnp.asarray(bounding_boxes["labels"]), -1)
    return result


def _only_xyxy(who, bounding_box_format):
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f"{who}: only 'xyxy' boxes are supported (as in Keras). Received: "
            f"bounding_box_format={bounding_box_format!r}. Convert with convert_format first."
        )


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Moves `"xyxy"` boxes into a crop window at `(top, left)` and clips them to it.

    Args:
        boxes: An array `(..., 4)` of `"xyxy"` boxes.
        top: The crop's top row.
        left: The crop's left column.
        height: The crop's height.
        width: The crop's width.
        bounding_box_format: Must be `"xyxy"`.

    Returns:
        The boxes in the crop's coordinates.

    Raises:
        NotImplementedError: for another format.

    Example:
        >>> crop([[10.0, 20.0, 50.0, 60.0]], top=10, left=20, height=40, width=30).tolist()
        [[0.0, 10.0, 30.0, 40.0]]
    """
    _only_xyxy("crop", bounding_box_format)
    boxes = jnp.asarray(boxes)
    moved = boxes - jnp.asarray([left, top, left, top], boxes.dtype)
    return jnp.clip(moved, 0, jnp.asarray([width, height, width, height], boxes.dtype))


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Shifts `"xyxy"` boxes by the padding added above (`top`) and left of the image.

    Args:
        boxes: An array `(..., 4)` of `"xyxy"` boxes.
        top: Rows added above the image.
        left: Columns added left of the image.
        height: Unused (Keras's signature).
        width: Unused (Keras's signature).
        bounding_box_format: Must be `"xyxy"`.

    Returns:
        The shifted boxes.

    Raises:
        NotImplementedError: for another format.

    Example:
        >>> pad([[1.0, 2.0, 3.0, 4.0]], top=10, left=20).tolist()
        [[21.0, 12.0, 23.0, 14.0]]
    """
    _only_xyxy("pad", bounding_box_format)
    boxes = jnp.asarray(boxes)
    return boxes + jnp.asarray([left, top, left, top], boxes.dtype)


def compute_iou(boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1,
                image_shape=None):
    """Intersection over union of every box of `boxes1` with every box of `boxes2`.

    Args:
        boxes1: `(N, 4)` or `(batch, N, 4)` boxes.
        boxes2: `(M, 4)` or `(batch, M, 4)` boxes.
        bounding_box_format: The boxes' format.
        use_masking: Whether pairs with an all-negative (padding) box get `mask_val`.
        mask_val: The value of masked pairs.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        IoU values `(N, M)` or `(batch, N, M)`.

    Raises:
        ValueError: for boxes of rank other than 2 or 3, or a relative format without
            `image_shape`.

    Example:
        >>> iou = compute_iou([[0.0, 0.0, 2.0, 2.0]], [[1.0, 0.0, 3.0, 2.0]], "xyxy")
        >>> iou.shape, round(float(iou[0, 0]), 3)
        ((1, 1), 0.333)
    """
    boxes1, boxes2 = jnp.asarray(boxes1), jnp.asarray(boxes2)
    for name, b in (("boxes1", boxes1), ("boxes2", boxes2)):
        if b.ndim not in (2, 3):
            raise ValueError(
                f"compute_iou: `{name}` must be (N, 4) or (batch, N, 4). Expected rank 2 or "
                f"3. Received: {name} with shape {b.shape}."
            )
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError(
            "compute_iou: relative boxes need the image size. Expected `image_shape`. "
            f"Received: bounding_box_format={bounding_box_format!r}, image_shape=None."
        )
    height, width = (None, None) if image_shape is None else image_shape[:2]
    b1 = convert_format(boxes1, bounding_box_format, "yxyx", height, width)
    b2 = convert_format(boxes2, bounding_box_format, "yxyx", height, width)
    lo = jnp.maximum(b1[..., :, None, :2], b2[..., None, :, :2])
    hi = jnp.minimum(b1[..., :, None, 2:], b2[..., None, :, 2:])
    inter = jnp.prod(jnp.maximum(hi - lo, 0.0), axis=-1)  # (..., N, M)
    area1 = jnp.prod(b1[..., 2:] - b1[..., :2], axis=-1)
    area2 = jnp.prod(b2[..., 2:] - b2[..., :2], axis=-1)
    iou = inter / (area1[..., :, None] + area2[..., None, :] - inter + config.epsilon())
    if not use_masking:
        return iou
    background = (jnp.max(b1, -1) < 0)[..., :, None] | (jnp.max(b2, -1) < 0)[..., None, :]
    return jnp.where(background, jnp.asarray(mask_val, iou.dtype), iou)


def _inverse_affine(center_x, center_y, angle, tx, ty, scale, shear_x, shear_y, height,
                    width):
    """Per-sample 3x3 matrices of the inverse affine map (Keras's parameterization)."""
    angle, shear_x, shear_y = -angle, -shear_x, -shear_y
    cx, cy = center_x * (width - 1), center_y * (height - 1)
    rot = angle * jnp.pi / 180.0
    tx, ty = -tx * (width - 1), -ty * (height - 1)
    sx, sy = shear_x * jnp.pi / 180.0, shear_y * jnp.pi / 180.0
    cos_sy, tan_sx = jnp.cos(sy), jnp.tan(sx)
    a = jnp.cos(rot - sy) / cos_sy
    b = a * tan_sx + jnp.sin(rot)
    c = -jnp.sin(rot - sy) / cos_sy
    d = jnp.cos(rot) - c * tan_sx
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * (cx + tx) - a1 * (cy + ty)
    b2 = cy - b0 * (cx + tx) - b1 * (cy + ty)
    zeros, ones = jnp.zeros_like(a0), jnp.ones_like(a0)
    return jnp.stack([a0, a1, a2, b0, b1, b2, zeros, zeros, ones], -1).reshape(-1, 3, 3)


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height,
                     width, center_x=None, center_y=None, bounding_box_format="xyxy"):
    """Moves `"xyxy"` boxes by a per-sample affine map; each result encloses the moved corners.

    Translations are fractions of the image size, angles and shears in degrees (as
    Keras's random affine augmentations produce them).

    Args:
        boxes: `(batch, n, 4)` boxes in `"xyxy"`.
        angle: `(batch,)` rotation angles in degrees.
        translate_x: `(batch,)` horizontal shifts, as fractions of the width.
        translate_y: `(batch,)` vertical shifts, as fractions of the height.
        scale: `(batch,)` scale factors.
        shear_x: `(batch,)` horizontal shears in degrees.
        shear_y: `(batch,)` vertical shears in degrees.
        height: Image height.
        width: Image width.
        center_x: The transform's center, as a fraction of the width (default 0.5).
        center_y: The transform's center, as a fraction of the height (default 0.5).
        bounding_box_format: Must be `"xyxy"`.

    Returns:
        The transformed boxes, `(batch, n, 4)`.

    Raises:
        NotImplementedError: for another format.

    Example:
        >>> import numpy as np
        >>> zero = np.zeros(1, "float32")
        >>> out = affine_transform(np.array([[[1.0, 1.0, 3.0, 3.0]]]), zero, zero, zero,
        ...                        np.ones(1, "float32"), zero, zero, 5, 5)
        >>> np.round(np.asarray(out), 4).tolist()
        [[[1.0, 1.0, 3.0, 3.0]]]
    """
    _only_xyxy("affine_transform", bounding_box_format)
    f32 = [jnp.asarray(v, "float32") for v in (angle, translate_x, translate_y, scale,
                                                 shear_x, shear_y)]
    matrix = _inverse_affine(0.5 if center_x is None else center_x,
                             0.5 if center_y is None else center_y, *f32, height, width)
    boxes = jnp.asarray(boxes, matrix.dtype)
    x1, y1, x2, y2 = (boxes[..., i] for i in range(4))
    corners = jnp.stack([jnp.stack([x1, y1], -1), jnp.stack([x2, y1], -1),
                         jnp.stack([x2, y2], -1), jnp.stack([x1, y2], -1)], axis=2)
    corners = jnp.concatenate([corners, jnp.ones(corners.shape[:-1] + (1,), corners.dtype)], -1)
    moved = jnp.einsum("bnxy,byz->bnxz", corners, jnp.transpose(matrix[:, :2, :], (0, 2, 1)))
    return jnp.concatenate([moved.min(axis=2), moved.max(axis=2)], axis=-1)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """Complete IoU of matching boxes: IoU minus center-distance and aspect-ratio penalties.

    Boxes are paired element by element (not all pairs, unlike `compute_iou`).

    Args:
        boxes1: `(..., 4)` boxes.
        boxes2: `(..., 4)` boxes, broadcastable against `boxes1`.
        bounding_box_format: The boxes' (absolute) format.
        image_shape: Unused for absolute formats (Keras's signature).

    Returns:
        The CIoU values, `boxes1.shape[:-1]`.

    Raises:
        ValueError: for a relative format (Keras refuses those here).

    Example:
        >>> round(float(compute_ciou([[0.0, 0.0, 2.0, 2.0]], [[0.0, 0.0, 2.0, 2.0]],
        ...                          "xyxy")[0]), 4)
        1.0
    """
    if "rel" in bounding_box_format:
        raise ValueError(
            "compute_ciou: relative box formats are not supported (as in Keras). Expected an "
            f"absolute format such as 'xyxy'. Received: bounding_box_format="
            f"{bounding_box_format!r}. Convert with convert_format first."
        )
    eps = config.epsilon()
    b1 = convert_format(boxes1, bounding_box_format, "xyxy")
    b2 = convert_format(boxes2, bounding_box_format, "xyxy")
    x1a, y1a, x2a, y2a = (b1[..., i] for i in range(4))
    x1b, y1b, x2b, y2b = (b2[..., i] for i in range(4))
    w1, h1 = x2a - x1a, y2a - y1a + eps
    w2, h2 = x2b - x1b, y2b - y1b + eps
    inter = jnp.maximum(jnp.minimum(x2a, x2b) - jnp.maximum(x1a, x1b), 0) * jnp.maximum(
        jnp.minimum(y2a, y2b) - jnp.maximum(y1a, y1b), 0)
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / (union + eps)
    diagonal = (jnp.maximum(x2a, x2b) - jnp.minimum(x1a, x1b)) ** 2 + (
        jnp.maximum(y2a, y2b) - jnp.minimum(y1a, y1b)) ** 2 + eps
    centers = ((x1a + x2a) / 2 - (x1b + x2b) / 2) ** 2 + ((y1a + y2a) / 2 - (y1b + y2b) / 2) ** 2
    v = (4 / jnp.pi**2) * (jnp.arctan(w2 / h2) - jnp.arctan(w1 / h1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (centers / diagonal + v * alpha)


def _check_delta_args(who, variance, encoding):
    if variance is not None:
        variance = jnp.asarray(variance, "float32")
        if variance.shape[-1] != 4:
            raise ValueError(
                f"{who}: `variance` must have 4 values. Expected a list of 4 floats. "
                f"Received: variance with shape {variance.shape}."
            )
    if encoding not in ("center_xywh", "center_yxhw"):
        raise ValueError(
            f"{who}: the encoding must be 'center_xywh' or 'center_yxhw'. Received: "
            f"{encoding!r}."
        )
    return variance


def encode_box_to_deltas(anchors, boxes, anchor_format, box_format,
                         encoding_format="center_yxhw", variance=None, image_shape=None):
    """Encodes boxes as offsets from anchors: `((c - c_a) / size_a, log(size / size_a))`.

    Args:
        anchors: `(N, 4)` anchor boxes.
        boxes: `(N, 4)` or `(batch, N, 4)` boxes to encode.
        anchor_format: The anchors' format.
        box_format: The boxes' format.
        encoding_format: `"center_yxhw"` (default) or `"center_xywh"`.
        variance: Optional 4 values the deltas are divided by.
        image_shape: `(height, width, channels)`, for relative formats.

    Returns:
        The deltas, the shape of `boxes`.

    Raises:
        ValueError: for a `variance` without 4 values or another encoding.

    Example:
        >>> encode_box_to_deltas([[0.0, 0.0, 2.0, 2.0]], [[1.0, 1.0, 3.0, 3.0]], "xyxy",
        ...                      "xyxy").tolist()
        [[0.5, 0.5, 0.0, 0.0]]
    """
    variance = _check_delta_args("encode_box_to_deltas", variance, encoding_format)
    height, width = (None, None) if image_shape is None else image_shape[:2]
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    eps = config.epsilon()
    anchor_size = jnp.maximum(anchors[..., 2:], eps)
    box_size = jnp.maximum(boxes[..., 2:], eps)
    deltas = jnp.concatenate([(boxes[..., :2] - anchors[..., :2]) / anchor_size,
                              jnp.log(box_size / anchor_size)], axis=-1)
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format, box_format,
                           encoded_format="center_yxhw", variance=None, image_shape=None):
    """Decodes `encode_box_to_deltas`' deltas back to boxes (per level for dict inputs).

    Args:
        anchors: `(N, 4)` anchors, or a dict of them per feature level.
        boxes_delta: The deltas (a dict with the same keys for dict anchors).
        anchor_format: The anchors' format.
        box_format: The format of the returned boxes.
        encoded_format: `"center_yxhw"` (default) or `"center_xywh"`.
        variance: Optional 4 values the deltas are multiplied by.
        image_shape: `(height, width, channels)`, for relative formats.

    Returns:
        The boxes (a dict per level for dict inputs).

    Raises:
        ValueError: for a `variance` without 4 values or another encoding.

    Example:
        >>> decode_deltas_to_boxes([[0.0, 0.0, 2.0, 2.0]], [[0.5, 0.5, 0.0, 0.0]], "xyxy",
        ...                        "xyxy").tolist()
        [[1.0, 1.0, 3.0, 3.0]]
    """
    variance = _check_delta_args("decode_deltas_to_boxes", variance, encoded_format)
    height, width = (None, None) if image_shape is None else image_shape[:2]

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        delta = jnp.asarray(delta) if variance is None else jnp.asarray(delta) * variance
        box = jnp.concatenate([delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                               jnp.exp(delta[..., 2:]) * anchor[..., 2:]], axis=-1)
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchors[level], boxes_delta[level]) for level in anchors}
    return decode(anchors, boxes_delta)
