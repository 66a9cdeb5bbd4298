"""EfficientNetV2's stage tables and its MBConv and Fused-MBConv blocks, as in Keras."""

from __future__ import annotations

from kernelkit import layers
from kernelkit.applications.efficientnet_blocks import (
    bn_axis,
    conv_bn,
    conv_kernel_initializer,
    residual,
    squeeze_excite,
)

__all__ = ["BLOCKS", "fused_mb_conv_block", "mb_conv_block"]

# family -> stages of (kernel size, repeats, filters in, filters out, expansion, squeeze ratio,
# strides, fused); "b" is shared by B0 to B3, which scale it by their coefficients
BLOCKS = {
    "b": ((3, 1, 32, 16, 1, 0, 1, True), (3, 2, 16, 32, 4, 0, 2, True),
          (3, 2, 32, 48, 4, 0, 2, True), (3, 3, 48, 96, 4, 0.25, 2, False),
          (3, 5, 96, 112, 6, 0.25, 1, False), (3, 8, 112, 192, 6, 0.25, 2, False)),
    "s": ((3, 2, 24, 24, 1, 0, 1, True), (3, 4, 24, 48, 4, 0, 2, True),
          (3, 4, 48, 64, 4, 0, 2, True), (3, 6, 64, 128, 4, 0.25, 2, False),
          (3, 9, 128, 160, 6, 0.25, 1, False), (3, 15, 160, 256, 6, 0.25, 2, False)),
    "m": ((3, 3, 24, 24, 1, 0, 1, True), (3, 5, 24, 48, 4, 0, 2, True),
          (3, 5, 48, 80, 4, 0, 2, True), (3, 7, 80, 160, 4, 0.25, 2, False),
          (3, 14, 160, 176, 6, 0.25, 1, False), (3, 18, 176, 304, 6, 0.25, 2, False),
          (3, 5, 304, 512, 6, 0.25, 1, False)),
    "l": ((3, 4, 32, 32, 1, 0, 1, True), (3, 7, 32, 64, 4, 0, 2, True),
          (3, 7, 64, 96, 4, 0, 2, True), (3, 10, 96, 192, 4, 0.25, 2, False),
          (3, 19, 192, 224, 6, 0.25, 1, False), (3, 25, 224, 384, 6, 0.25, 2, False),
          (3, 7, 384, 640, 6, 0.25, 1, False)),
}


def _bn(name, momentum):
    return layers.BatchNormalization(axis=bn_axis(), momentum=momentum, name=name)


def mb_conv_block(inputs, input_filters, output_filters, expand_ratio, kernel_size, strides,
                  se_ratio, bn_momentum, activation, survival_probability, name):
    """MBConv: 1x1 expansion, depthwise conv (`"same"`), squeeze-excite, 1x1 projection.

    Args:
        inputs: The input tensor with `input_filters` channels.
        input_filters: Input channels.
        output_filters: Output channels.
        expand_ratio: Expansion factor of the first 1x1 convolution.
        kernel_size: Size of the depthwise kernel.
        strides: Stride of the depthwise convolution.
        se_ratio: Squeeze ratio (0 for none).
        bn_momentum: Momentum of the batch normalizations.
        activation: The block's activation (`"swish"`).
        survival_probability: Keras's name for the drop rate of the residual branch.
        name: The layer name prefix, e.g. `"block4a_"`.

    Returns:
        The block's output tensor.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(8, 8, 16))
        >>> mb_conv_block(x, 16, 16, 4, 3, 1, 0.25, 0.9, "swish", 0.1, "b_").shape
        (None, 8, 8, 16)
    """
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = conv_bn(x, filters, 1, f"{name}expand", momentum=bn_momentum)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="same", use_bias=False,
                               depthwise_initializer=conv_kernel_initializer(),
                               name=f"{name}dwconv2")(x)
    x = _bn(f"{name}bn", bn_momentum)(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, input_filters, filters, se_ratio, activation, name)
    x = conv_bn(x, output_filters, 1, f"{name}project", momentum=bn_momentum)
    if strides == 1 and input_filters == output_filters:
        x = residual(x, inputs, survival_probability, name)
    return x


def fused_mb_conv_block(inputs, input_filters, output_filters, expand_ratio, kernel_size,
                        strides, se_ratio, bn_momentum, activation, survival_probability, name):
    """Fused-MBConv: one full kxk convolution in place of the 1x1 expansion + depthwise pair.

    Args:
        inputs: The input tensor with `input_filters` channels.
        input_filters: Input channels.
        output_filters: Output channels.
        expand_ratio: Expansion factor (1: a single kxk convolution with its activation).
        kernel_size: Size of the kxk kernel.
        strides: Stride of the kxk convolution.
        se_ratio: Squeeze ratio (0 for none).
        bn_momentum: Momentum of the batch normalizations.
        activation: The block's activation (`"swish"`).
        survival_probability: Keras's name for the drop rate of the residual branch.
        name: The layer name prefix, e.g. `"block1a_"`.

    Returns:
        The block's output tensor.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(8, 8, 16))
        >>> fused_mb_conv_block(x, 16, 32, 4, 3, 2, 0, 0.9, "swish", 0.0, "b_").shape
        (None, 4, 4, 32)
    """
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = conv_bn(x, filters, kernel_size, f"{name}expand", strides=strides,
                    momentum=bn_momentum)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, input_filters, filters, se_ratio, activation, name)
    expanded = expand_ratio != 1
    x = conv_bn(x, output_filters, 1 if expanded else kernel_size, f"{name}project",
                strides=1 if expanded else strides, momentum=bn_momentum)
    if not expanded:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and input_filters == output_filters:
        x = residual(x, inputs, survival_probability, name)
    return x
