"""`Conv1D`, `Conv2D`, `Conv3D`: convolutions with a `(*kernel_size, in / groups, filters)` kernel."""

from __future__ import annotations

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.conv.base_conv import BaseConv, positive_int
from kernelkit.layers.spatial_arguments import owner_of
from kernelkit.registry import register_builtin, serialize

__all__ = ["Conv", "Conv1D", "Conv2D", "Conv3D"]


class Conv(BaseConv):
    """N-D convolution (cross-correlation) plus bias and activation; see `Conv2D`.

    Args:
        filters: Number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: See `BaseConv`.
        groups: Number of channel groups convolved separately; divides the input channels
            and `filters`.
        activation, use_bias: See `BaseConv`.
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv2D(4, 3)(jnp.ones((1, 5, 5, 2))).shape
        (1, 3, 3, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
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
        self.groups = positive_int(who, groups, "groups")
        if filters % groups:
            raise ValueError(
                f"{who}: `filters` must be divisible by `groups`. "
                f"Received: filters={filters}, groups={groups}."
            )
        self._check_no_stride_with_dilation()
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def _build_kernels(self, channels, inputs):
        if channels % self.groups:
            raise ValueError(
                f"{owner_of(self)}: the number of input channels must be divisible by "
                f"`groups`={self.groups}. Received: inputs with {channels} channels. Change "
                "`groups` or the input channels."
            )
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        return self.filters

    def _lax_padding(self):
        if self.padding == "causal":
            return [((self.kernel_size[0] - 1) * self.dilation_rate[0], 0)]
        return self.padding.upper()

    def _convolve_inputs(self, inputs):
        return self._convolve(inputs, self.kernel[...], self.strides, self._lax_padding(),
                              groups=self.groups)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
            "kernel_initializer": serialize(self.kernel_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
        }


@register_builtin("keras.layers")
class Conv1D(Conv):
    """1D convolution over time, e.g. of `(batch, steps, channels)` sequences.

    Args:
        filters: Number of output channels.
        kernel_size: Length of the convolution window.
        strides: Stride of the window.
        padding: `"valid"`, `"same"` or `"causal"` (left-padded so that output `t` depends
            only on inputs up to `t`).
        data_format, dilation_rate, groups, activation, use_bias, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint: See `Conv`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, new_steps, filters)`, or `(batch, filters, new_steps)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv1D(4, 3, padding="causal")(jnp.ones((2, 10, 3))).shape
        (2, 10, 4)
    """

    rank = 1
    _padding_modes = ("valid", "same", "causal")


@register_builtin("keras.layers")
class Conv2D(Conv):
    """2D convolution over images.

    Args:
        filters: Number of output channels.
        kernel_size: An int or 2 ints, the window's height and width.
        strides, padding, data_format, dilation_rate, groups, activation, use_bias,
            kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
            activity_regularizer, kernel_constraint, bias_constraint: See `Conv`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)` with
        `"channels_first"`.

    Output shape:
        `(batch, new_height, new_width, filters)`, or `(batch, filters, new_height, new_width)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv2D(8, 3, strides=2, padding="same")(jnp.ones((2, 8, 8, 3))).shape
        (2, 4, 4, 8)
    """

    rank = 2


@register_builtin("keras.layers")
class Conv3D(Conv):
    """3D convolution over volumes.

    Args:
        filters: Number of output channels.
        kernel_size: An int or 3 ints, the window's depth, height and width.
        strides, padding, data_format, dilation_rate, groups, activation, use_bias,
            kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
            activity_regularizer, kernel_constraint, bias_constraint: See `Conv`.

    Input shape:
        `(batch, depth, height, width, channels)`, or `(batch, channels, depth, height, width)`
        with `"channels_first"`.

    Output shape:
        `(batch, new_depth, new_height, new_width, filters)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> Conv3D(2, 3)(jnp.ones((1, 4, 5, 6, 3))).shape
        (1, 2, 3, 4, 2)
    """

    rank = 3
