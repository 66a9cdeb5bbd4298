"""`Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`: transposed ("de-") convolutions."""

from __future__ import annotations

import jax

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.conv.base_conv import BaseConv, effective_size, positive_int
from kernelkit.layers.spatial_arguments import owner_of, to_tuple
from kernelkit.registry import register_builtin, serialize

__all__ = ["Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "ConvTranspose"]


def transpose_padding(kernel_size, stride, dilation, padding, output_padding):
    """The `(left, right)` padding of `jax.lax.conv_transpose` giving Keras's output length.

    Keras's output length is `(n - 1) * s + max(k, s)` for `"valid"` and `n * s` for `"same"`
    when `output_padding` is None; otherwise `(n - 1) * s + k + p` (`"valid"`) or
    `(n - 1) * s + k % 2 + p` (`"same"`), with `k` the dilated kernel size.

    Example:
        >>> transpose_padding(3, 2, 1, "same", None)
        (2, 1)
    """
    k = effective_size(kernel_size, dilation)
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return k - 1, k - 1 + extra
    if output_padding is None:
        total = stride + k - 2
    else:
        total = k + k % 2 - 2 + output_padding
    left = min((total + 1) // 2, k - 1)
    return left, total - left


class ConvTranspose(BaseConv):
    """N-D transposed convolution; see `Conv2DTranspose`.

    Args:
        filters: Number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: See `BaseConv`.
        output_padding: None, or an int or `rank` ints (each less than the stride): extra
            output length added at the end of each spatial dimension.
        activation, use_bias: See `BaseConv`.
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv2DTranspose(4, 3, strides=2)(jnp.ones((1, 5, 5, 2))).shape
        (1, 11, 11, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        who = owner_of(self)
        self.filters = positive_int(who, filters, "filters")
        self.output_padding = None if output_padding is None else to_tuple(
            who, output_padding, self.rank, "output_padding", allow_zero=True)
        if self.output_padding is not None and any(
                p >= s for p, s in zip(self.output_padding, self.strides)):
            raise ValueError(
                f"{who}: every `output_padding` value must be less than the matching stride. "
                f"Received: output_padding={self.output_padding}, strides={self.strides}."
            )
        self._check_no_stride_with_dilation()
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def _check_spatial_size(self, shape, inputs) -> None:
        """A transposed convolution only grows its input: nothing to check."""

    def _build_kernels(self, channels, inputs):
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, channels),
            initializer=self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        return self.filters

    def _convolve_inputs(self, inputs):
        extra = self.output_padding or (None,) * self.rank
        padding = [transpose_padding(k, s, d, self.padding, p) for k, s, d, p in
                   zip(self.kernel_size, self.strides, self.dilation_rate, extra)]
        return jax.lax.conv_transpose(
            inputs, self.kernel[...].astype(self.compute_dtype), self.strides, padding,
            rhs_dilation=self.dilation_rate, dimension_numbers=self._dimension_numbers(),
            transpose_kernel=True)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "output_padding": self.output_padding,
            "kernel_initializer": serialize(self.kernel_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
        }


@register_builtin("keras.layers")
class Conv1DTranspose(ConvTranspose):
    """1D transposed convolution: upsamples `(batch, steps, channels)` sequences.

    Args:
        filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            See `ConvTranspose`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, new_steps, filters)`, or `(batch, filters, new_steps)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv1DTranspose(4, 3, strides=2, padding="same")(jnp.ones((2, 5, 3))).shape
        (2, 10, 4)
    """

    rank = 1


@register_builtin("keras.layers")
class Conv2DTranspose(ConvTranspose):
    """2D transposed convolution: upsamples images.

    Args:
        filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            See `ConvTranspose`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, filters)`, or `(batch, filters, new_height, new_width)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv2DTranspose(8, 3, strides=2, padding="same")(jnp.ones((2, 4, 4, 3))).shape
        (2, 8, 8, 8)
    """

    rank = 2


@register_builtin("keras.layers")
class Conv3DTranspose(ConvTranspose):
    """3D transposed convolution: upsamples volumes.

    Args:
        filters, kernel_size, strides, padding, data_format, output_padding, dilation_rate,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint:
            See `ConvTranspose` (Keras orders `data_format` before `output_padding` here).

    Input shape:
        `(batch, depth, height, width, channels)`, or channels first.

    Output shape:
        `(batch, new_depth, new_height, new_width, filters)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv3DTranspose(2, 2, strides=2)(jnp.ones((1, 2, 3, 4, 3))).shape
        (1, 4, 6, 8, 2)
    """

    rank = 3

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 output_padding=None, dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format,
                         dilation_rate=dilation_rate, **kwargs)
