"""Elastic distortion on `jax.numpy`: a smoothed random displacement field, then resampling."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation import filters, geometry

__all__ = ["elastic_warp"]


def elastic_warp(images, key, alpha, sigma, kernel_size: int, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format="channels_last"):
    """Displaces every pixel by `alpha` times a Gaussian-smoothed normal field.

    `alpha` and `sigma` may be traced; `kernel_size` (odd) is static, so this runs inside a
    jitted step.

    Args:
        images: Rank 3 or 4 images.
        key: A JAX PRNG key.
        alpha: Scale of the displacement, in pixels.
        sigma: Standard deviation of the smoothing Gaussian.
        kernel_size: Taps of the smoothing window.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or `"reflect"`.
        fill_value: The value of `"constant"` filling.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The distorted images, in the input dtype.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> elastic_warp(jnp.ones((6, 6, 1)), jax.random.key(0), 3.0, 1.0, 7).shape
        (6, 6, 1)
    """
    batched = images.ndim == 4
    x = geometry.to_channels_last(images if batched else images[None], data_format)
    batch, height, width = x.shape[:3]
    dtype = jnp.promote_types(x.dtype, jnp.float32)
    field = jax.random.normal(key, (2, batch, height, width, 1), dtype) * sigma
    kernel = (kernel_size, kernel_size)
    field = jnp.stack([filters.gaussian_blur(f, kernel, jnp.stack([sigma, sigma]))
                       for f in field])
    rows, cols = jnp.meshgrid(jnp.arange(height), jnp.arange(width), indexing="ij")
    y_in = rows + alpha * field[1, ..., 0]
    x_in = cols + alpha * field[0, ..., 0]
    order = geometry.AFFINE_INTERPOLATIONS[interpolation]

    def warp(image, yy, xx):
        return jax.vmap(lambda p: jax.scipy.ndimage.map_coordinates(
            p, [yy, xx], order=order, mode=fill_mode, cval=fill_value),
            in_axes=-1, out_axes=-1)(image)

    out = jax.vmap(warp)(x, y_in, x_in).astype(images.dtype)
    if data_format == "channels_first":
        out = jnp.moveaxis(out, -1, 1)
    return out if batched else out[0]
