"""Colour-space arithmetic on `jax.numpy`: RGB <-> HSV, grayscale, blending."""

from __future__ import annotations

import jax.numpy as jnp

__all__ = ["blend", "hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv"]

_LUMA = (0.2989, 0.5870, 0.1140)  # ITU-R 601 weights, as tf.image and Keras use


def rgb_to_grayscale(images, channel_axis: int = -1):
    """Luma of RGB images, keeping a channel axis of size 1 (one channel passes through).

    Example:
        >>> import jax.numpy as jnp
        >>> rgb_to_grayscale(jnp.ones((2, 2, 3))).shape
        (2, 2, 1)
    """
    if images.shape[channel_axis] == 1:
        return images
    dtype = images.dtype
    x = images.astype(jnp.promote_types(dtype, jnp.float32))
    gray = jnp.tensordot(x, jnp.asarray(_LUMA, x.dtype), axes=([channel_axis], [0]))
    return jnp.expand_dims(gray, channel_axis).astype(dtype)


def rgb_to_hsv(images, channel_axis: int = -1):
    """RGB in [0, 1] to HSV in [0, 1] (hue as a fraction of the circle).

    Example:
        >>> import jax.numpy as jnp
        >>> rgb_to_hsv(jnp.array([1.0, 0.0, 0.0])).tolist()
        [0.0, 1.0, 1.0]
    """
    eps = jnp.finfo(images.dtype).eps
    images = jnp.where(jnp.abs(images) < eps, 0.0, images)
    r, g, b = (jnp.take(images, i, axis=channel_axis) for i in range(3))
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = jnp.where(value == r, norm * (g - b), hue)
    hue = jnp.where(spread > 0, hue, 0.0) + (hue < 0.0).astype(hue.dtype)
    return jnp.stack([hue, saturation, value], axis=channel_axis).astype(images.dtype)


def hsv_to_rgb(images, channel_axis: int = -1):
    """HSV in [0, 1] back to RGB in [0, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> hsv_to_rgb(jnp.array([0.0, 1.0, 1.0])).tolist()
        [1.0, 0.0, 0.0]
    """
    h, s, v = (jnp.take(images, i, axis=channel_axis) for i in range(3))
    sector = jnp.mod(h, 1.0) * 6.0
    r = jnp.clip(jnp.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    g = jnp.clip(2.0 - jnp.abs(sector - 2.0), 0.0, 1.0)
    b = jnp.clip(2.0 - jnp.abs(sector - 4.0), 0.0, 1.0)
    planes = [v * (1.0 - s + s * c) for c in (r, g, b)]
    return jnp.stack(planes, axis=channel_axis).astype(images.dtype)


def blend(a, b, factor):
    """`a + factor * (b - a)`: 0 gives `a`, 1 gives `b`.

    Example:
        >>> import jax.numpy as jnp
        >>> blend(jnp.zeros(2), jnp.ones(2), 0.25).tolist()
        [0.25, 0.25]
    """
    return a + factor * (b - a)
