"""Image filters on `jax.numpy`: Gaussian blur, Sobel edges and depthwise 2D convolution."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.geometry import to_channels_last

__all__ = ["depthwise_filter", "gaussian_blur", "gaussian_kernel_1d", "sobel_edges"]


def gaussian_kernel_1d(size: int, sigma, dtype="float32"):
    """A normalized 1D Gaussian window of `size` taps.

    Example:
        >>> [round(v, 3) for v in gaussian_kernel_1d(3, 1.0).tolist()]
        [0.274, 0.452, 0.274]
    """
    x = jnp.arange(size, dtype=dtype) - jnp.asarray((size - 1) / 2, dtype)
    window = jnp.exp(-0.5 * (x / jnp.asarray(sigma, dtype)) ** 2)
    return window / jnp.sum(window)


def depthwise_filter(images, kernel, padding="SAME"):
    """Convolves each channel of `(batch, height, width, channels)` images with `kernel (kh, kw)`.

    Example:
        >>> import jax.numpy as jnp
        >>> depthwise_filter(jnp.ones((1, 3, 3, 2)), jnp.ones((3, 3)) / 9)[0, 1, 1].tolist()
        [1.0, 1.0]
    """
    channels = images.shape[-1]
    rhs = jnp.tile(kernel.astype(images.dtype)[:, :, None, None], (1, 1, 1, channels))
    return jax.lax.conv_general_dilated(
        images, rhs, window_strides=(1, 1), padding=padding,
        dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=channels)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format="channels_last"):
    """Blurs rank 3 or 4 images with a separable Gaussian (`"same"` zero padding).

    Args:
        images: Rank 3 or 4 float images.
        kernel_size: `(size_x, size_y)` taps (Keras's order: width first).
        sigma: `(sigma_x, sigma_y)`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The blurred images, shaped like `images`.

    Example:
        >>> import jax.numpy as jnp
        >>> gaussian_blur(jnp.ones((5, 5, 1)))[2, 2, 0].round(4).tolist()
        1.0
    """
    batched = images.ndim == 4
    x = to_channels_last(images if batched else images[None], data_format)
    dtype = x.dtype
    sigma = jnp.broadcast_to(jnp.asarray(sigma, dtype), (2,))
    kx = gaussian_kernel_1d(kernel_size[0], sigma[0], dtype)
    ky = gaussian_kernel_1d(kernel_size[1], sigma[1], dtype)
    out = depthwise_filter(x, jnp.outer(ky, kx))
    if data_format == "channels_first":
        out = jnp.moveaxis(out, -1, 1)
    return out if batched else out[0]


def sobel_edges(images, data_format="channels_last"):
    """Sobel gradients of a batch of images, stacked last as `(..., [dy, dx])`.

    Example:
        >>> import jax.numpy as jnp
        >>> ramp = jnp.tile(jnp.arange(4.0), (4, 1))[None, :, :, None]
        >>> sobel_edges(ramp)[0, 1, 1, 0].tolist()  # (dy, dx) inside the image
        [0.0, 8.0]
    """
    x = to_channels_last(images, data_format)
    kx = jnp.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], x.dtype)
    # lax convolutions are cross-correlations, as Keras's kernels expect
    dx, dy = depthwise_filter(x, kx), depthwise_filter(x, kx.T)
    if data_format == "channels_first":
        dx, dy = jnp.moveaxis(dx, -1, 1), jnp.moveaxis(dy, -1, 1)
    return jnp.stack([dy, dx], axis=-1)
