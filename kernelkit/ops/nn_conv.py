"""Convolution ops of `keras.ops.nn`: conv, depthwise_conv, separable_conv, conv_transpose.

Kernels are in Keras's layouts: `(*spatial, in_channels, out_channels)` for `conv`,
`(*spatial, in_channels, multiplier)` for `depthwise_conv`, `(*spatial, out_channels,
in_channels)` for `conv_transpose`, whatever the `data_format` of the inputs.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.config import image_data_format
from kernelkit.ops.dispatch import keras_op

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


def resolve_data_format(op: str, data_format) -> str:
    """`data_format`, or the global default when None; refuses unknown values."""
    data_format = image_data_format() if data_format is None else str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{op}: unknown data_format. Expected 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}. Pass one of the two.")
    return data_format


def resolve_padding(op: str, padding) -> str:
    """Upper-cased 'VALID'/'SAME'; refuses anything else."""
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(
            f"{op}: unknown padding. Expected 'valid' or 'same'. Received: padding={padding!r}. "
            "Pass one of the two.")
    return padding.upper()


def spatial_tuple(op: str, arg: str, value, rank: int) -> tuple:
    """An int or a sequence of `rank` ints, as a tuple of `rank` ints."""
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank:
        raise ValueError(
            f"{op}: `{arg}` has the wrong length. Expected an int or {rank} ints (one per "
            f"spatial dimension). Received: {arg}={value!r}. Pass one value per spatial dimension.")
    return values


def dimension_numbers(rank: int, data_format: str) -> jax.lax.ConvDimensionNumbers:
    """Lax dimension numbers for `(batch, *spatial, channels)` inputs and a Keras kernel."""
    n = rank + 2
    spatial = tuple(range(1, n - 1)) if data_format == "channels_last" else tuple(range(2, n))
    io = (0, n - 1) + spatial if data_format == "channels_last" else (0, 1) + spatial
    return jax.lax.ConvDimensionNumbers(lhs_spec=io, rhs_spec=(n - 1, n - 2) + tuple(range(rank)),
                                        out_spec=io)


def channels_of(x, data_format: str) -> int:
    """The channel count of `(batch, *spatial, channels)` (or channels-first) inputs."""
    return x.shape[-1] if data_format == "channels_last" else x.shape[1]


def check_rank(op: str, inputs, kernel) -> int:
    """The number of spatial dimensions; the kernel must have as many plus two."""
    if inputs.ndim < 3 or kernel.ndim != inputs.ndim:
        raise ValueError(
            f"{op}: inputs and kernel ranks do not match. Expected inputs of rank N + 2 (N >= 1) "
            f"and a kernel of the same rank. Received: inputs.shape={inputs.shape}, "
            f"kernel.shape={kernel.shape}. Use a kernel of shape (*spatial, in, out).")
    return inputs.ndim - 2


@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1-D, 2-D or 3-D), with groups when the kernel has fewer input channels.

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (channels_last) or
            `(batch, channels, *spatial)` (channels_first).
        kernel: Tensor of shape `(*kernel_size, in_channels // groups, filters)`.
        strides: Int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        dilation_rate: Int or tuple of N ints.

    Returns:
        The convolved tensor, in the same data format.

    Raises:
        ValueError: For mismatched ranks or channels, or an unknown padding or data format.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.conv(np.ones((1, 5, 2)), np.ones((3, 2, 4))).shape
        (1, 3, 4)
    """
    data_format = resolve_data_format("conv", data_format)
    kernel = jnp.asarray(kernel)
    inputs = jnp.asarray(inputs).astype(kernel.dtype)
    rank = check_rank("conv", inputs, kernel)
    channels = channels_of(inputs, data_format)
    if kernel.shape[-2] == 0 or channels % kernel.shape[-2]:
        raise ValueError(
            f"conv: the input channels are not a multiple of the kernel's in_channels. Expected "
            f"channels % kernel.shape[-2] == 0. Received: inputs.shape={inputs.shape}, "
            f"kernel.shape={kernel.shape}. Check data_format and the kernel layout.")
    return jax.lax.conv_general_dilated(
        inputs, kernel, spatial_tuple("conv", "strides", strides, rank),
        resolve_padding("conv", padding),
        rhs_dilation=spatial_tuple("conv", "dilation_rate", dilation_rate, rank),
        dimension_numbers=dimension_numbers(rank, data_format),
        feature_group_count=channels // kernel.shape[-2])


@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise N-D convolution: each input channel convolved with its own `multiplier` filters.

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first).
        kernel: Tensor of shape `(*kernel_size, channels, multiplier)`.
        strides: Int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        dilation_rate: Int or tuple of N ints.

    Returns:
        A tensor with `channels * multiplier` channels.

    Raises:
        ValueError: When the kernel's channels differ from the inputs'.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.depthwise_conv(np.ones((1, 4, 4, 3)), np.ones((2, 2, 3, 2))).shape
        (1, 3, 3, 6)
    """
    data_format = resolve_data_format("depthwise_conv", data_format)
    inputs, kernel = jnp.asarray(inputs), jnp.asarray(kernel)
    rank = check_rank("depthwise_conv", inputs, kernel)
    channels = channels_of(inputs, data_format)
    if kernel.shape[-2] != channels:
        raise ValueError(
            f"depthwise_conv: the kernel's channels differ from the inputs'. Expected "
            f"kernel.shape[-2] == {channels}. Received: inputs.shape={inputs.shape}, "
            f"kernel.shape={kernel.shape}. Use a kernel of shape (*spatial, channels, multiplier).")
    kernel = kernel.reshape(kernel.shape[:-2] + (1, channels * kernel.shape[-1]))
    return jax.lax.conv_general_dilated(
        inputs, kernel, spatial_tuple("depthwise_conv", "strides", strides, rank),
        resolve_padding("depthwise_conv", padding),
        rhs_dilation=spatial_tuple("depthwise_conv", "dilation_rate", dilation_rate, rank),
        dimension_numbers=dimension_numbers(rank, data_format), feature_group_count=channels)


@keras_op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first).
        depthwise_kernel: Tensor of shape `(*kernel_size, channels, multiplier)`.
        pointwise_kernel: Tensor of shape `(1, ..., 1, channels * multiplier, filters)`.
        strides: Int or tuple of N ints, for the depthwise step.
        padding: `"valid"` or `"same"`, for the depthwise step.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        dilation_rate: Int or tuple of N ints, for the depthwise step.

    Returns:
        A tensor with `filters` channels.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.separable_conv(np.ones((1, 4, 4, 3)), np.ones((2, 2, 3, 2)),
        ...                    np.ones((1, 1, 6, 5))).shape
        (1, 3, 3, 5)
    """
    depthwise = depthwise_conv.__wrapped__(inputs, depthwise_kernel, strides, padding, data_format,
                                           dilation_rate)
    return conv.__wrapped__(depthwise, pointwise_kernel, 1, "valid", data_format, dilation_rate)


def transpose_padding(kernel_size: int, stride: int, dilation: int, padding: str,
                      output_padding) -> tuple[int, int]:
    """Lax's (left, right) padding giving Keras's conv_transpose output size along one axis."""
    k = (kernel_size - 1) * dilation + 1
    if padding == "VALID":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return k - 1, k - 1 + extra
    total = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, k - 1)
    return left, total - left


@keras_op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """N-D transposed convolution (the gradient of `conv` with respect to its inputs).

    Args:
        inputs: Tensor of shape `(batch, *spatial, channels)` (or channels_first).
        kernel: Tensor of shape `(*kernel_size, filters, channels)`.
        strides: Int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        output_padding: None, or an int or tuple of N ints added to the output size.
        data_format: `"channels_last"` or `"channels_first"`; default the global setting.
        dilation_rate: Int or tuple of N ints.

    Returns:
        A tensor with `filters` channels; with `"same"` and no output_padding its spatial size
        is `input * strides`.

    Raises:
        ValueError: When the kernel's last axis differs from the input channels.

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> ops.conv_transpose(np.ones((1, 3, 2)), np.ones((2, 4, 2)), strides=2).shape
        (1, 6, 4)
    """
    data_format = resolve_data_format("conv_transpose", data_format)
    inputs, kernel = jnp.asarray(inputs), jnp.asarray(kernel)
    rank = check_rank("conv_transpose", inputs, kernel)
    if kernel.shape[-1] != channels_of(inputs, data_format):
        raise ValueError(
            f"conv_transpose: the kernel's in_channels differ from the inputs'. Expected "
            f"kernel.shape[-1] == {channels_of(inputs, data_format)}. Received: "
            f"inputs.shape={inputs.shape}, kernel.shape={kernel.shape}. Use a kernel of shape "
            "(*spatial, filters, channels).")
    pad = resolve_padding("conv_transpose", padding)
    strides = spatial_tuple("conv_transpose", "strides", strides, rank)
    dilation = spatial_tuple("conv_transpose", "dilation_rate", dilation_rate, rank)
    extra = (output_padding if output_padding is None or not isinstance(output_padding, int)
             else (output_padding,) * rank)
    pads = [transpose_padding(kernel.shape[i], strides[i], dilation[i], pad,
                              None if extra is None else extra[i]) for i in range(rank)]
    return jax.lax.conv_transpose(inputs, kernel, strides, pads, rhs_dilation=dilation,
                                  dimension_numbers=dimension_numbers(rank, data_format),
                                  transpose_kernel=True)
