"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): tile-wise clipped equalization."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.augmentation.base_augmentation import (
    BaseImagePreprocessingLayer,
    rescale_range,
)
from kernelkit.registry import register_builtin

__all__ = ["ContrastLimitedAdaptiveHistogramEqualization", "clahe"]


def _tile_maps(x, grid_h, grid_w, tile_h, tile_w, clip_limit):
    """Per-tile equalization tables `(batch, grid_h + 2, grid_w + 2, channels, 256)`."""
    batch, channels = x.shape[0], x.shape[-1]
    tiles = x.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels)
    tiles = tiles.transpose(0, 1, 3, 5, 2, 4).reshape(batch, grid_h, grid_w, channels, -1)
    values = jnp.clip(tiles.astype(jnp.int32), 0, 255)
    hists = jax.nn.one_hot(values, 256, dtype=jnp.float32).sum(axis=-2)
    if clip_limit > 0:
        limit = clip_limit * (tile_h * tile_w) / 256.0
        clipped = jnp.clip(hists, 0, limit)
        hists = clipped + jnp.sum(hists - clipped, axis=-1, keepdims=True) / 256.0
    cdf = jnp.cumsum(hists, axis=-1)
    cdf_min = jnp.min(cdf, axis=-1, keepdims=True)
    denominator = tile_h * tile_w - cdf_min
    denominator = jnp.where(denominator == 0, 1.0, denominator)
    maps = jnp.clip((cdf - cdf_min) * 255.0 / denominator, 0, 255)
    # repeat the border tiles so that every pixel interpolates between four maps
    return jnp.pad(maps, ((0, 0), (1, 1), (1, 1), (0, 0), (0, 0)), mode="edge")


def clahe(x, grid_h, grid_w, clip_limit):
    """CLAHE of `(batch, height, width, channels)` images with values in [0, 255].

    Example:
        >>> import jax.numpy as jnp
        >>> clahe(jnp.zeros((1, 4, 4, 1)), 2, 2, 4.0).shape
        (1, 4, 4, 1)
    """
    height, width = x.shape[1], x.shape[2]
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
    if pad_h or pad_w:
        x = jnp.pad(x, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="symmetric")
    maps = _tile_maps(x, grid_h, grid_w, tile_h, tile_w, clip_limit)

    def axis_weights(size, tile, grid):
        pos = (jnp.arange(size, dtype=jnp.float32) - tile / 2.0) / tile + 1.0
        low = jnp.floor(pos)
        return (jnp.clip(low, 0, grid + 1).astype(jnp.int32),
                jnp.clip(low + 1, 0, grid + 1).astype(jnp.int32), pos - low)

    y0, y1, wy = axis_weights(x.shape[1], tile_h, grid_h)
    x0, x1, wx = axis_weights(x.shape[2], tile_w, grid_w)
    pixels = jnp.clip(x, 0, 255).astype(jnp.int32)
    b = jnp.arange(x.shape[0])[:, None, None, None]
    c = jnp.arange(x.shape[3])[None, None, None, :]
    ys, xs = (y0[None, :, None, None], y1[None, :, None, None]), (x0[None, None, :, None],
                                                                   x1[None, None, :, None])
    nw, ne = maps[b, ys[0], xs[0], c, pixels], maps[b, ys[0], xs[1], c, pixels]
    sw, se = maps[b, ys[1], xs[0], c, pixels], maps[b, ys[1], xs[1], c, pixels]
    wx, wy = wx[None, None, :, None], wy[None, :, None, None]
    out = (nw * (1 - wx) + ne * wx) * (1 - wy) + (sw * (1 - wx) + se * wx) * wy
    return out[:, :height, :width, :]


@register_builtin("keras.layers")
class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Equalizes histograms per tile of a `tile_grid_size` grid, clipping them at `clip_limit`.

    Neighbouring tiles' tables are blended bilinearly. Deterministic: applied in training and
    inference alike, keeping the input dtype.

    Args:
        value_range: The `(low, high)` range of the pixel values (default `(0, 255)`).
        clip_limit: Histogram clip, as a multiple of the mean bin count (0 disables it).
        tile_grid_size: `(rows, cols)` of the tile grid (default `(8, 8)`).
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)` or one image `(height, width, channels)`.

    Output shape:
        Same as the input.

    Example:
        >>> import numpy as np
        >>> layer = ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
        >>> layer(np.arange(64.0).reshape(1, 8, 8, 1)).shape
        (1, 8, 8, 1)
    """

    _RANDOM = False
    _CAST_INPUTS = False
    _BOUNDING_BOXES = False  # as in Keras

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if len(tuple(tile_grid_size)) != 2 or min(tile_grid_size) < 1:
            raise ValueError(
                f"{self._who}: invalid `tile_grid_size`. Expected two positive integers. "
                f"Received: tile_grid_size={tile_grid_size!r}."
            )
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def transform_images(self, images, transformation, training=True):
        dtype = images.dtype
        x = images if self.data_format == "channels_last" else jnp.moveaxis(images, 1, -1)
        x = rescale_range(x.astype(jnp.float32), self.value_range, (0, 255))
        x = clahe(x, self.tile_grid_size[0], self.tile_grid_size[1], self.clip_limit)
        x = rescale_range(x, (0, 255), self.value_range).astype(dtype)
        return x if self.data_format == "channels_last" else jnp.moveaxis(x, -1, 1)

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size}
