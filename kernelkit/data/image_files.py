"""Images as arrays and files: `array_to_img`, `img_to_array`, `load_img`, `save_img`,
`smart_resize` (Pillow for files, JAX for resizing)."""

from __future__ import annotations

import io
import os
import pathlib
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit import config

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]

_FORMATS = ("channels_last", "channels_first")


def _pil():
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        raise ImportError(
            "kernelkit image files need Pillow, which is not installed. Expected an "
            "importable PIL. Received: ImportError. Install it with `pip install pillow`."
        ) from None
    return Image


def _data_format(who, data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in _FORMATS:
        raise ValueError(
            f"{who}: unknown `data_format`. Expected one of {_FORMATS}. Received: "
            f"data_format={data_format!r}."
        )
    return data_format


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a rank-3 array to a Pillow image (RGB, RGBA, or grayscale).

    Args:
        x: An array `(height, width, channels)` with 1, 3 or 4 channels.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        scale: Whether to stretch the values to `[0, 255]` first.
        dtype: The dtype to compute in (default `floatx()`).

    Returns:
        A `PIL.Image.Image`.

    Raises:
        ValueError: for an array that is not rank 3 or has another channel count.

    Example:
        >>> import numpy as np
        >>> array_to_img(np.zeros((4, 5, 3))).size
        (5, 4)
    """
    image = _pil()
    data_format = _data_format("array_to_img", data_format)
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(
            "array_to_img: expected a single image. Expected an array of rank 3 (height, "
            f"width, channels). Received: x with shape {x.shape}."
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit grayscale
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(
        "array_to_img: unsupported channel count. Expected 1, 3 or 4 channels. Received: "
        f"x with shape {x.shape}."
    )


def img_to_array(img, data_format=None, dtype=None):
    """Converts a Pillow image (or array-like) to a rank-3 float array.

    Args:
        img: A `PIL.Image.Image`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dtype: The array dtype (default `floatx()`).

    Returns:
        An array `(height, width, channels)` (channels first if asked).

    Raises:
        ValueError: for an image that is not 2D or 3D.

    Example:
        >>> import numpy as np
        >>> img_to_array(array_to_img(np.zeros((4, 5, 1)))).shape
        (4, 5, 1)
    """
    data_format = _data_format("img_to_array", data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x[None] if data_format == "channels_first" else x[:, :, None]
    raise ValueError(
        "img_to_array: unsupported image shape. Expected a 2D or 3D image. Received: "
        f"an array of shape {x.shape}."
    )


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes an image array to a file (the format from the extension unless given).

    Args:
        path: A path or a writable file object.
        x: An array `(height, width, channels)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        file_format: Optional format name (`"png"`, `"jpeg"`, ...); needed for file objects.
        scale: Whether to stretch values to `[0, 255]`.
        **kwargs: Passed to `PIL.Image.Image.save`.

    Example:
        >>> import io, numpy as np
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.zeros((2, 2, 3)), file_format="png")
        >>> buffer.getvalue()[:4]
        b'\\x89PNG'
    """
    data_format = _data_format("save_img", data_format)
    if file_format is None and isinstance(path, str | pathlib.Path):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("save_img: JPEG has no alpha channel; the image is saved as RGB.",
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


_RESAMPLE = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file into a Pillow image, converted and optionally resized.

    Args:
        path: A path or an `io.BytesIO`.
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"`.
        target_size: `None` or `(height, width)`.
        interpolation: Pillow's resampling filter: `"nearest"`, `"bilinear"`, `"bicubic"`,
            `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: Whether to crop the center to the target aspect ratio first.

    Returns:
        A `PIL.Image.Image`.

    Raises:
        TypeError: for a `path` that is neither path-like nor `io.BytesIO`.
        ValueError: for an unknown `color_mode` or `interpolation`.

    Example:
        >>> import io, numpy as np
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.zeros((4, 6, 3)), file_format="png")
        >>> load_img(buffer, target_size=(2, 3)).size
        (3, 2)
    """
    image = _pil()
    modes = {"grayscale": ("L", ("L", "I;16", "I")), "rgba": ("RGBA", ("RGBA",)),
             "rgb": ("RGB", ("RGB",))}
    if color_mode not in modes:
        raise ValueError(
            "load_img: unknown `color_mode`. Expected 'grayscale', 'rgb' or 'rgba'. "
            f"Received: color_mode={color_mode!r}."
        )
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, str | os.PathLike):
        with open(path, "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(
            "load_img: `path` must be a path or an io.BytesIO. Expected str, pathlib.Path or "
            f"io.BytesIO. Received: path of type {type(path).__name__}."
        )
    target_mode, accepted = modes[color_mode]
    if img.mode not in accepted:
        img = img.convert(target_mode)
    if target_size is None:
        return img
    size = (target_size[1], target_size[0])  # Pillow sizes are (width, height)
    if img.size == size:
        return img
    if interpolation not in _RESAMPLE:
        raise ValueError(
            f"load_img: unknown `interpolation`. Expected one of {_RESAMPLE}. Received: "
            f"interpolation={interpolation!r}."
        )
    resample = getattr(image.Resampling, interpolation.upper())
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_h = min(height, (width * size[1]) // size[0])
    crop_w = min(width, (height * size[0]) // size[1])
    top, left = (height - crop_h) // 2, (width - crop_w) // 2
    return img.resize(size, resample, box=[left, top, left + crop_w, top + crop_h])


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes images to `size` without distorting them: center-crop to the aspect, resize.

    Args:
        x: One image `(height, width, channels)` or a batch `(batch, height, width,
            channels)` (channels first if `data_format` says so).
        size: `(height, width)`.
        interpolation: A `jax.image.resize` method (`"bilinear"`, `"nearest"`,
            `"bicubic"`, `"lanczos3"`, `"lanczos5"`).
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: Accepted for Keras compatibility (`backend_module`), otherwise refused.

    Returns:
        The resized images: NumPy for NumPy input, JAX otherwise.

    Raises:
        ValueError: for a `size` that is not two integers or an image of another rank.

    Example:
        >>> import numpy as np
        >>> smart_resize(np.ones((10, 20, 3)), (4, 4)).shape
        (4, 4, 3)
    """
    kwargs.pop("backend_module", None)
    if kwargs:
        raise TypeError(f"smart_resize: unexpected keyword arguments {sorted(kwargs)}.")
    if len(size) != 2:
        raise ValueError(
            "smart_resize: `size` must be (height, width). Expected 2 integers. Received: "
            f"size={size}."
        )
    img = jnp.asarray(x)
    if img.ndim not in (3, 4):
        raise ValueError(
            "smart_resize: expected an image or a batch of images. Expected rank 3 or 4. "
            f"Received: x with shape {img.shape}."
        )
    last = data_format == "channels_last"
    height, width = (img.shape[-3], img.shape[-2]) if last else (img.shape[-2], img.shape[-1])
    crop_h = max(min(height, int(float(width * size[0]) / size[1])), 1)
    crop_w = max(min(width, int(float(height * size[1]) / size[0])), 1)
    top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
    rows, cols = slice(top, top + crop_h), slice(left, left + crop_w)
    img = img[..., rows, cols, :] if last else img[..., rows, cols]
    shape = list(img.shape)
    axes = (-3, -2) if last else (-2, -1)
    shape[axes[0]], shape[axes[1]] = size
    out = jax.image.resize(img.astype(jnp.result_type(img.dtype, jnp.float32)), tuple(shape),
                           method=interpolation, antialias=False)
    return np.array(out) if isinstance(x, np.ndarray) else out
