"""`DepthwiseConv1D`, `DepthwiseConv2D`: one filter bank per input channel, no channel mixing."""

from __future__ import annotations

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.conv.base_conv import BaseConv, positive_int
from kernelkit.layers.spatial_arguments import owner_of
from kernelkit.registry import register_builtin, serialize

__all__ = ["DepthwiseConv", "DepthwiseConv1D", "DepthwiseConv2D", "depthwise_convolve"]


def depthwise_convolve(layer, inputs, kernel):
    """Convolves each input channel with its own `depth_multiplier` filters.

    `kernel` has Keras's layout `(*kernel_size, channels, depth_multiplier)`; output channel
    `c * depth_multiplier + m` is input channel `c` convolved with filter `m`.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = DepthwiseConv2D(3, depth_multiplier=2)
        >>> depthwise_convolve(layer, jnp.ones((1, 4, 4, 3)), jnp.ones((3, 3, 3, 2))).shape
        (1, 2, 2, 6)
    """
    channels, multiplier = kernel.shape[-2:]
    grouped = kernel.reshape((*kernel.shape[:-2], 1, channels * multiplier))
    return layer._convolve(inputs, grouped, layer.strides, layer.padding.upper(),
                           groups=channels)


class DepthwiseConv(BaseConv):
    """N-D depthwise convolution; see `DepthwiseConv2D`.

    Args:
        kernel_size, strides, padding: See `BaseConv`.
        depth_multiplier: Number of filters per input channel; the layer outputs
            `channels * depth_multiplier` channels.
        data_format, dilation_rate, activation, use_bias: See `BaseConv`.
        depthwise_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        depthwise_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        depthwise_constraint, bias_constraint: Optional constraints.

    Example:
        >>> import jax.numpy as jnp
        >>> DepthwiseConv2D(3, depth_multiplier=2)(jnp.ones((1, 5, 5, 3))).shape
        (1, 3, 3, 6)
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = positive_int(owner_of(self), depth_multiplier, "depth_multiplier")
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _build_kernels(self, channels, inputs):
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, name="kernel",
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
        return channels * self.depth_multiplier

    def _convolve_inputs(self, inputs):
        return depthwise_convolve(self, inputs, self.kernel[...])

    def get_config(self):
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": serialize(self.depthwise_initializer),
            "depthwise_regularizer": serialize(self.depthwise_regularizer),
            "depthwise_constraint": serialize(self.depthwise_constraint),
        }


@register_builtin("keras.layers")
class DepthwiseConv1D(DepthwiseConv):
    """1D depthwise convolution over `(batch, steps, channels)` sequences.

    Args:
        kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate,
            activation, use_bias, depthwise_initializer, bias_initializer,
            depthwise_regularizer, bias_regularizer, activity_regularizer,
            depthwise_constraint, bias_constraint: See `DepthwiseConv`.

    Input shape:
        `(batch, steps, channels)`, or `(batch, channels, steps)` with `"channels_first"`.

    Output shape:
        `(batch, new_steps, channels * depth_multiplier)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> DepthwiseConv1D(3, padding="same")(jnp.ones((2, 6, 4))).shape
        (2, 6, 4)
    """

    rank = 1


@register_builtin("keras.layers")
class DepthwiseConv2D(DepthwiseConv):
    """2D depthwise convolution: each image channel is filtered on its own.

    Args:
        kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate,
            activation, use_bias, depthwise_initializer, bias_initializer,
            depthwise_regularizer, bias_regularizer, activity_regularizer,
            depthwise_constraint, bias_constraint: See `DepthwiseConv`. The kernel has shape
            `(kernel_height, kernel_width, channels, depth_multiplier)`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, new_height, new_width, channels * depth_multiplier)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> DepthwiseConv2D(3, strides=2, padding="same")(jnp.ones((2, 8, 8, 3))).shape
        (2, 4, 4, 3)
    """

    rank = 2
