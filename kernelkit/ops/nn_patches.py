"""Patch and block rearrangement ops of `keras.ops.nn`: unfold, fold, depth_to_space, space_to_depth."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op
from kernelkit.ops.nn_conv import resolve_data_format

__all__ = ["depth_to_space", "fold", "space_to_depth", "unfold"]


def pair(value) -> tuple[int, int]:
    """An int or a pair of ints, as a pair."""
    return (value, value) if isinstance(value, int) else tuple(value)


def check_rank(op: str, x, rank: int, layout: str):
    """Refuses `x` unless it has `rank` axes."""
    if x.ndim != rank:
        raise ValueError(
            f"{op}: wrong input rank. Expected a {rank}-D tensor {layout}. Received: "
            f"x.shape={x.shape}. Reshape the input.")


@keras_op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding patches of an NCHW image batch (im2col, as PyTorch's `unfold`).

    Args:
        x: Tensor of shape `(N, C, H, W)`.
        kernel_size: Int or pair, the patch size.
        dilation: Int or pair, the spacing between patch elements.
        padding: Int or pair, zeros added on both sides of H and W.
        stride: Int or pair, the step between patches.

    Returns:
        A tensor of shape `(N, C * kH * kW, L)`, `L` the number of patches.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.unfold(np.ones((1, 2, 4, 4)), 2).shape
        (1, 8, 9)
    """
    x = jnp.asarray(x)
    check_rank("unfold", x, 4, "(N, C, H, W)")
    ph, pw = pair(padding)
    x = jnp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    patches = jax.lax.conv_general_dilated_patches(
        x, filter_shape=pair(kernel_size), window_strides=pair(stride), padding="VALID",
        rhs_dilation=pair(dilation), dimension_numbers=("NCHW", "OIHW", "NCHW"))
    return patches.reshape(patches.shape[0], patches.shape[1], -1)


@keras_op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding patches back into an NCHW image batch (col2im, the inverse layout of `unfold`).

    Args:
        x: Tensor of shape `(N, C * kH * kW, L)`.
        output_size: Int or pair, the image's `(H, W)`.
        kernel_size: Int or pair, the patch size.
        dilation: Int or pair, the spacing between patch elements.
        padding: Int or pair, the padding `unfold` added (removed here).
        stride: Int or pair, the step between patches.

    Returns:
        A tensor of shape `(N, C, H, W)`; overlapping patch entries are summed.

    Raises:
        ValueError: When `x` is not 3-D or its second axis is not a multiple of `kH * kW`.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.fold(np.ones((1, 8, 9)), 4, 2).shape
        (1, 2, 4, 4)
    """
    x = jnp.asarray(x)
    check_rank("fold", x, 3, "(N, C * kH * kW, L)")
    (oh, ow), (kh, kw) = pair(output_size), pair(kernel_size)
    (dh, dw), (ph, pw), (sh, sw) = pair(dilation), pair(padding), pair(stride)
    n, ckk, _ = x.shape
    if ckk % (kh * kw):
        raise ValueError(
            f"fold: the second axis is not a multiple of the kernel area. Expected a multiple of "
            f"{kh * kw}. Received: x.shape={x.shape}. Check kernel_size.")
    c = ckk // (kh * kw)
    nh = (oh + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    nw = (ow + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    x = x.reshape(n, ckk, nh, nw)
    # An identity kernel sends input channel (c, i, j) to output channel c at offset (i, j).
    kernel = jnp.eye(ckk, dtype=x.dtype).reshape(ckk, c, kh, kw).transpose(2, 3, 0, 1)
    out = jax.lax.conv_transpose(x, jnp.flip(kernel, (0, 1)), (sh, sw), "VALID",
                                 rhs_dilation=(dh, dw), dimension_numbers=("NCHW", "HWIO", "NCHW"))
    return out[:, :, ph:ph + oh, pw:pw + ow]


def block_checked(op: str, x, block_size, data_format):
    """`(x, data_format)` after checking rank 4 and an int block size."""
    x = jnp.asarray(x)
    check_rank(op, x, 4, "(batch, height, width, channels)")
    if not isinstance(block_size, int) or block_size < 1:
        raise ValueError(
            f"{op}: invalid block_size. Expected a positive int. Received: "
            f"block_size={block_size!r}. Pass e.g. block_size=2.")
    return x, resolve_data_format(op, data_format)


@keras_op
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into space (pixel shuffle): `(H, W, C)` to `(H*b, W*b, C/b**2)`.

    Args:
        x: 4-D tensor, `(N, H, W, C)` or channels_first `(N, C, H, W)`.
        block_size: The block size `b`; `C` must be a multiple of `b**2`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The rearranged tensor.

    Raises:
        ValueError: For a non-4-D input or channels that `b**2` does not divide.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.depth_to_space(np.zeros((1, 2, 2, 8)), 2).shape
        (1, 4, 4, 2)
    """
    x, data_format = block_checked("depth_to_space", x, block_size, data_format)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if c % (b * b):
        raise ValueError(
            f"depth_to_space: channels are not a multiple of block_size**2. Expected a multiple "
            f"of {b * b}. Received: x.shape={x.shape}. Pick a block_size that divides them.")
    if data_format == "channels_last":
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


@keras_op
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves spatial blocks into channels (pixel unshuffle): `(H, W, C)` to `(H/b, W/b, C*b**2)`.

    Args:
        x: 4-D tensor, `(N, H, W, C)` or channels_first `(N, C, H, W)`.
        block_size: The block size `b`; `H` and `W` must be multiples of it.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The rearranged tensor.

    Raises:
        ValueError: For a non-4-D input or a spatial size that `b` does not divide.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.space_to_depth(np.zeros((1, 4, 4, 2)), 2).shape
        (1, 2, 2, 8)
    """
    x, data_format = block_checked("space_to_depth", x, block_size, data_format)
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if h % b or w % b:
        raise ValueError(
            f"space_to_depth: height and width are not multiples of block_size. Expected "
            f"multiples of {b}. Received: x.shape={x.shape}. Pick a block_size that divides them.")
    if data_format == "channels_last":
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)
