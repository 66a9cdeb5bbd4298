"""`SeparableConv1D`, `SeparableConv2D`: a depthwise convolution followed by a 1x1 convolution."""

from __future__ import annotations

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.conv.base_conv import BaseConv, positive_int
from kernelkit.layers.conv.depthwise_conv import depthwise_convolve
from kernelkit.layers.spatial_arguments import owner_of
from kernelkit.registry import register_builtin, serialize

__all__ = ["SeparableConv", "SeparableConv1D", "SeparableConv2D"]


class SeparableConv(BaseConv):
    """N-D depthwise-separable convolution; see `SeparableConv2D`.

    Args:
        filters: Number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: See `BaseConv`.
        depth_multiplier: Number of depthwise filters per input channel.
        activation, use_bias: See `BaseConv`.
        depthwise_initializer, pointwise_initializer, bias_initializer: Initializers.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer: Optional regularizers.
        depthwise_constraint, pointwise_constraint, bias_constraint: Optional constraints.

    Example:
        >>> import jax.numpy as jnp
        >>> SeparableConv2D(4, 3)(jnp.ones((1, 5, 5, 2))).shape
        (1, 3, 3, 4)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        who = owner_of(self)
        self.filters = positive_int(who, filters, "filters")
        self.depth_multiplier = positive_int(who, depth_multiplier, "depth_multiplier")
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def _build_kernels(self, channels, inputs):
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, name="depthwise_kernel",
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, name="pointwise_kernel",
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint)
        return self.filters

    def _convolve_inputs(self, inputs):
        x = depthwise_convolve(self, inputs, self.depthwise_kernel[...])
        return self._convolve(x, self.pointwise_kernel[...], (1,) * self.rank, "VALID")

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": serialize(self.depthwise_initializer),
            "pointwise_initializer": serialize(self.pointwise_initializer),
            "depthwise_regularizer": serialize(self.depthwise_regularizer),
            "pointwise_regularizer": serialize(self.pointwise_regularizer),
            "depthwise_constraint": serialize(self.depthwise_constraint),
            "pointwise_constraint": serialize(self.pointwise_constraint),
        }


@register_builtin("keras.layers")
class SeparableConv1D(SeparableConv):
    """1D depthwise-separable convolution over `(batch, steps, channels)` sequences.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
            activation, use_bias, depthwise_initializer, pointwise_initializer,
            bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer, depthwise_constraint, pointwise_constraint,
            bias_constraint: See `SeparableConv`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, new_steps, filters)`, or `(batch, filters, new_steps)`.

    Example:
        >>> import jax.numpy as jnp
        >>> SeparableConv1D(4, 3, padding="same")(jnp.ones((2, 6, 3))).shape
        (2, 6, 4)
    """

    rank = 1


@register_builtin("keras.layers")
class SeparableConv2D(SeparableConv):
    """2D depthwise-separable convolution: per-channel spatial filters, then a 1x1 mix.

    Weights, in order: `depthwise_kernel` `(kh, kw, channels, depth_multiplier)`,
    `pointwise_kernel` `(1, 1, channels * depth_multiplier, filters)`, `bias` `(filters,)`.

    Args:
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
            activation, use_bias, depthwise_initializer, pointwise_initializer,
            bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
            activity_regularizer, depthwise_constraint, pointwise_constraint,
            bias_constraint: See `SeparableConv`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, filters)`, or `(batch, filters, new_height, new_width)`.

    Example:
        >>> import jax.numpy as jnp
        >>> SeparableConv2D(8, 3, padding="same")(jnp.ones((2, 8, 8, 3))).shape
        (2, 8, 8, 8)
    """

    rank = 2
