"""The pieces EfficientNet and EfficientNetV2 share: initializers, padding, squeeze-and-excite."""

from __future__ import annotations

from kernelkit import config, initializers, layers

__all__ = ["bn_axis", "conv_bn", "conv_kernel_initializer", "correct_pad",
           "dense_kernel_initializer", "inverted_residual_block", "residual", "squeeze_excite"]


def conv_kernel_initializer():
    """A new `VarianceScaling(2.0, "fan_out", "truncated_normal")`, as Keras's EfficientNets.

    Returns:
        The initializer of every convolution kernel.

    Example:
        >>> conv_kernel_initializer().get_config()["mode"]
        'fan_out'
    """
    return initializers.VarianceScaling(scale=2.0, mode="fan_out",
                                        distribution="truncated_normal")


def dense_kernel_initializer():
    """A new `VarianceScaling(1/3, "fan_out", "uniform")`, the classifier's kernel initializer.

    Returns:
        The initializer of the `predictions` kernel.

    Example:
        >>> dense_kernel_initializer().get_config()["distribution"]
        'uniform'
    """
    return initializers.VarianceScaling(scale=1.0 / 3.0, mode="fan_out", distribution="uniform")


def bn_axis():
    """The channel axis of images: 3 for `channels_last`, 1 for `channels_first`.

    Returns:
        The axis index.

    Example:
        >>> bn_axis()
        3
    """
    return 3 if config.image_data_format() == "channels_last" else 1


def correct_pad(x, kernel_size):
    """Zero padding so that a stride-2 `"valid"` convolution acts like TensorFlow's `"same"`.

    Args:
        x: The symbolic image tensor about to be padded.
        kernel_size: The (square) kernel size of the convolution that follows.

    Returns:
        `((top, bottom), (left, right))` for `ZeroPadding2D`.

    Example:
        >>> import kernelkit as kk
        >>> correct_pad(kk.Input(shape=(32, 32, 3)), 3)
        ((0, 1), (0, 1))
    """
    axis = 2 if config.image_data_format() == "channels_first" else 1
    rows, cols = x.shape[axis], x.shape[axis + 1]
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = kernel_size // 2
    return ((half - adjust[0], half), (half - adjust[1], half))


def squeeze_excite(x, filters_in, filters, se_ratio, activation, name):
    """Squeeze-and-excitation (Hu et al., 2018): channel weights from the pooled features.

    Args:
        x: The block's tensor with `filters` channels.
        filters_in: The block's input channels (the squeeze width is `filters_in * se_ratio`).
        filters: The channels of `x`.
        se_ratio: The squeeze ratio, in (0, 1].
        activation: The activation of the squeeze convolution.
        name: The block's layer name prefix (ending in `_`).

    Returns:
        `x` scaled per channel.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(4, 4, 8))
        >>> squeeze_excite(x, 8, 8, 0.25, "swish", "b_").shape
        (None, 4, 4, 8)
    """
    filters_se = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    shape = (filters, 1, 1) if bn_axis() == 1 else (1, 1, filters)
    se = layers.Reshape(shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=conv_kernel_initializer(), name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid",
                       kernel_initializer=conv_kernel_initializer(), name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def conv_bn(x, filters, kernel_size, name, strides=1, momentum=0.99):
    """A bias-free `"same"` convolution `{name}_conv` and its batch normalization `{name}_bn`.

    Args:
        x: The input tensor.
        filters: Output channels.
        kernel_size: Size of the kernel.
        name: Prefix of the two layer names.
        strides: Stride of the convolution.
        momentum: Momentum of the batch normalization.

    Returns:
        The normalized tensor.

    Example:
        >>> import kernelkit as kk
        >>> conv_bn(kk.Input(shape=(8, 8, 3)), 4, 3, "b_expand", strides=2).shape
        (None, 4, 4, 4)
    """
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False,
                      kernel_initializer=conv_kernel_initializer(), name=f"{name}_conv")(x)
    return layers.BatchNormalization(axis=bn_axis(), momentum=momentum, name=f"{name}_bn")(x)


def residual(x, inputs, rate, name):
    """Adds the block's input back, after a per-sample `Dropout` of `rate` when it is > 0.

    Args:
        x: The block's output branch.
        inputs: The block's input (same shape).
        rate: The drop rate of the branch (Keras's drop-connect schedule).
        name: The block's layer name prefix.

    Returns:
        `x + inputs`.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(4, 4, 8))
        >>> residual(x, x, 0.1, "b_").shape
        (None, 4, 4, 8)
    """
    if rate > 0:
        x = layers.Dropout(rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return layers.add([x, inputs], name=f"{name}add")


def inverted_residual_block(inputs, activation, drop_rate, name, filters_in, filters_out,
                            kernel_size, strides, expand_ratio, se_ratio, id_skip=True):
    """EfficientNet's MBConv block: 1x1 expansion, depthwise conv, squeeze-excite, projection.

    Args:
        inputs: The input tensor with `filters_in` channels.
        activation: The activation of the block (`"swish"`).
        drop_rate: Drop rate of the residual branch.
        name: The layer name prefix, e.g. `"block2a_"`.
        filters_in: Input channels.
        filters_out: Output channels.
        kernel_size: Size of the depthwise kernel.
        strides: Stride of the depthwise convolution (1 or 2).
        expand_ratio: Expansion factor of the first 1x1 convolution.
        se_ratio: Squeeze ratio (0 for none).
        id_skip: Whether to add the residual when the shapes allow it.

    Returns:
        The block's output tensor.

    Example:
        >>> import kernelkit as kk
        >>> x = kk.Input(shape=(8, 8, 16))
        >>> inverted_residual_block(x, "swish", 0.0, "b_", 16, 24, 3, 2, 6, 0.25).shape
        (None, 4, 4, 24)
    """
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = conv_bn(x, filters, 1, f"{name}expand")
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    padding = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
        padding = "valid"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=padding, use_bias=False,
                               depthwise_initializer=conv_kernel_initializer(),
                               name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=bn_axis(), name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters_in, filters, se_ratio, activation, name)
    x = conv_bn(x, filters_out, 1, f"{name}project")
    if id_skip and strides == 1 and filters_in == filters_out:
        x = residual(x, inputs, drop_rate, name)
    return x
