"""`preprocess_input`: ImageNet input scaling in Keras's "caffe", "tf" and "torch" modes."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from kernelkit import config

__all__ = ["preprocess_input"]

_CAFFE_MEAN = (103.939, 116.779, 123.68)  # BGR means of ImageNet, in pixels
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def _channel_shape(ndim, data_format):
    if data_format == "channels_first":
        return (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    return (1,) * (ndim - 1) + (3,)


def _to_bgr(x, ndim, data_format, xp):
    if data_format == "channels_first":
        return x[::-1, ...] if ndim == 3 else x[:, ::-1, ...]
    return x[..., ::-1] if xp is np else xp.flip(x, axis=-1)


def _numpy(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    std = None
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _to_bgr(x, x.ndim, data_format, np)
        mean = _CAFFE_MEAN
    shape = _channel_shape(x.ndim, data_format)
    x -= np.asarray(mean, dtype=x.dtype).reshape(shape)
    if std is not None:
        x /= np.asarray(std, dtype=x.dtype).reshape(shape)
    return x


def _tensor(x, data_format, mode):
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(config.floatx())
    if mode == "tf":
        return x / 127.5 - 1.0
    std = None
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = _to_bgr(x, x.ndim, data_format, jnp)
        mean = _CAFFE_MEAN
    shape = _channel_shape(x.ndim, data_format)
    x = x - jnp.asarray(mean, dtype=x.dtype).reshape(shape)
    if std is not None:
        x = x / jnp.asarray(std, dtype=x.dtype).reshape(shape)
    return x


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scales a batch of RGB images (values in [0, 255]) the way an ImageNet model expects.

    A NumPy array is processed in place when its dtype allows (as in Keras); pass
    `numpy.copy(x)` to keep the original. Other inputs give a new JAX array.

    Args:
        x: Images, 3D or 4D, with 3 colour channels and values in [0, 255].
        data_format: `"channels_last"` or `"channels_first"`; `None` means
            `kernelkit.config.image_data_format()`.
        mode: `"caffe"` (RGB to BGR, then subtract ImageNet's mean pixel), `"tf"` (scale to
            [-1, 1]) or `"torch"` (scale to [0, 1], then normalize with ImageNet's mean and
            standard deviation).

    Returns:
        The preprocessed images (floating point).

    Raises:
        ValueError: If `mode` or `data_format` is not one of the allowed values.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.full((1, 2, 2, 3), 255.0), mode="tf")[0, 0, 0]
        array([1., 1., 1.])
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(
            f"preprocess_input: unknown mode. Expected 'caffe', 'tf' or 'torch'. "
            f"Received: mode={mode!r}. Pick one of those three.")
    if data_format is None:
        data_format = config.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError(
            f"preprocess_input: unknown data_format. Expected 'channels_first' or "
            f"'channels_last'. Received: data_format={data_format!r}. Pick one of those two.")
    if isinstance(x, np.ndarray):
        return _numpy(x, data_format, mode)
    return _tensor(x, data_format, mode)
