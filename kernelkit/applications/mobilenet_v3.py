"""MobileNetV3Small and MobileNetV3Large (Howard et al., 2019), layer for layer as in Keras."""

from __future__ import annotations

import warnings

from kernelkit import config, layers
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.input_shapes import image_input
from kernelkit.applications.pretrained_weights import (
    check_weights_argument,
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.applications.stride_padding import correct_pad
from kernelkit.layers.source_inputs import is_keras_tensor
from kernelkit.models import Functional

__all__ = ["MobileNetV3Large", "MobileNetV3Small", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"

# (expansion, filters, kernel, stride, squeeze-excite, model activation) of each inverted
# residual block; kernel None is the model's (5, or 3 when minimalistic), activation False ReLU
_SMALL = ((1, 16, 3, 2, True, False), (72 / 16, 24, 3, 2, False, False),
          (88 / 24, 24, 3, 1, False, False), (4, 40, None, 2, True, True),
          (6, 40, None, 1, True, True), (6, 40, None, 1, True, True),
          (3, 48, None, 1, True, True), (3, 48, None, 1, True, True),
          (6, 96, None, 2, True, True), (6, 96, None, 1, True, True),
          (6, 96, None, 1, True, True))
_LARGE = ((1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False), (3, 24, 3, 1, False, False),
          (3, 40, None, 2, True, False), (3, 40, None, 1, True, False),
          (3, 40, None, 1, True, False), (6, 80, 3, 2, False, True),
          (2.5, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True),
          (2.3, 80, 3, 1, False, True), (6, 112, 3, 1, True, True), (6, 112, 3, 1, True, True),
          (6, 160, None, 2, True, True), (6, 160, None, 1, True, True),
          (6, 160, None, 1, True, True))


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else -1


def _depth(value, divisor=8):
    """Rounds a channel count to a multiple of 8, never more than 10% below `value`."""
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _relu(x):
    return layers.ReLU()(x)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def _hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _batch_norm(x, name):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=0.999,
                                     name=name)(x)


def _se_block(inputs, filters, se_ratio, prefix):
    """Squeeze-and-excitation: channel weights from the pooled input, in [0, 1]."""
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs)
    x = layers.Conv2D(_depth(filters * se_ratio), kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same",
                      name=f"{prefix}squeeze_excite_conv_1")(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, _hard_sigmoid(x)])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    shortcut = x
    in_filters = x.shape[_channel_axis()]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(_depth(in_filters * expansion), kernel_size=1, padding="same",
                          use_bias=False, name=f"{prefix}expand")(x)
        x = activation(_batch_norm(x, f"{prefix}expand_bn"))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride,
                               padding="same" if stride == 1 else "valid", use_bias=False,
                               name=f"{prefix}depthwise")(x)
    x = activation(_batch_norm(x, f"{prefix}depthwise_bn"))
    if se_ratio:
        x = _se_block(x, _depth(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False,
                      name=f"{prefix}project")(x)
    x = _batch_norm(x, f"{prefix}project_bn")
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _input_shape(who, input_shape, input_tensor):
    """MobileNetV3's own rules: any size of at least 32x32, `None` sizes by default."""
    channels_last = config.image_data_format() == "channels_last"
    if input_shape is not None and input_tensor is not None and is_keras_tensor(input_tensor):
        given = input_tensor.shape[2] if channels_last else input_tensor.shape[1]
        if given != input_shape[1]:
            raise ValueError(
                f"{who}: `input_shape` and `input_tensor` disagree. Expected input_shape[1] "
                f"equal to the tensor's axis {2 if channels_last else 1}. Received: "
                f"input_shape={tuple(input_shape)}, input_tensor.shape="
                f"{tuple(input_tensor.shape)}. Pass only one of them.")
    if input_shape is None and input_tensor is not None and is_keras_tensor(input_tensor):
        shape = tuple(input_tensor.shape)
        rows, cols = shape[1:3] if channels_last else shape[2:4]
        input_shape = (cols, rows, 3) if channels_last else (3, cols, rows)
    if input_shape is None:
        input_shape = (None, None, 3) if channels_last else (3, None, None)
    rows, cols = input_shape[:2] if channels_last else input_shape[1:3]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(
            f"{who}: the input is too small. Expected height and width of at least 32. "
            f"Received: input_shape={tuple(input_shape)}. Pass a larger input_shape.")
    return tuple(input_shape), rows, cols


def _check_imagenet(who, alpha, minimalistic, rows, cols):
    if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
        raise ValueError(
            f"{who}: ImageNet weights exist for alpha 0.75 and 1.0 (1.0 only when "
            f"minimalistic). Expected one of those. Received: alpha={alpha}, "
            f"minimalistic={minimalistic}. Use weights=None for other widths.")
    if rows != cols or rows != 224:
        warnings.warn(
            f"{who}: `input_shape` is undefined, non-square or not 224 high; the ImageNet "
            "weights for 224x224 inputs are used.", stacklevel=4)


def _head(x, include_top, pooling, classes, dropout_rate, classifier_activation, activation,
          last_point_ch, who, weights):
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", use_bias=True,
                          name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        validate_classifier_activation(who, classifier_activation, weights)
        return layers.Activation(activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def _mobilenet_v3(who, blocks, last_point_ch, input_shape, alpha, minimalistic, include_top,
                  weights, input_tensor, classes, pooling, dropout_rate, classifier_activation,
                  include_preprocessing, name):
    if weights != "imagenet" or (include_top and classes != 1000):
        check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape, rows, cols = _input_shape(who, input_shape, input_tensor)
    if weights == "imagenet":
        _check_imagenet(who, alpha, minimalistic, rows, cols)
        check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    image, inputs = image_input(who, input_tensor, input_shape)
    kernel, activation, se_ratio = (3, _relu, None) if minimalistic else (5, _hard_swish, 0.25)
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(image) if include_preprocessing else image
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False,
                      name="conv")(x)
    x = activation(_batch_norm(x, "conv_bn"))
    for block_id, (expansion, filters, size, stride, se, own) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, _depth(filters * alpha), size or kernel, stride,
                                se_ratio if se else None, activation if own else _relu, block_id)
    last_conv_ch = _depth(x.shape[_channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False,
                      name="conv_1")(x)
    x = activation(_batch_norm(x, "conv_1_bn"))
    x = _head(x, include_top, pooling, classes, dropout_rate, classifier_activation, activation,
              last_point_ch, who, weights)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Small"):
    """MobileNetV3Small, with Keras's layer names and weight layout.

    Inputs are RGB images with values in [0, 255]: the model rescales them itself
    (`include_preprocessing=True`), so `mobilenet_v3.preprocess_input` returns its input as
    is. A Keras weights file of the same architecture loads with `weights=path` or
    `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        input_shape: Shape without batch; any size of at least 32x32 (`None` sizes by
            default, also with the classifier).
        alpha: Width multiplier: scales the number of filters of every block.
        minimalistic: Drop squeeze-and-excitation, hard-swish and 5x5 kernels.
        include_top: Whether to end in the `conv_2` + `logits` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        classes: Number of classes of the classifier.
        pooling: With `include_top=False`: `None` (4D feature map), `"avg"` or `"max"`.
        dropout_rate: Dropout before the `logits` layer (none when 0).
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether the model starts with a `Rescaling` to [-1, 1].
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Raises:
        ValueError: For `weights="imagenet"`, a missing weights file or a bad input shape.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3),
        ...                                          classes=10)
        >>> model.output_shape
        (None, 10)
    """
    return _mobilenet_v3("MobileNetV3Small", _SMALL, 1024, input_shape, alpha, minimalistic,
                         include_top, weights, input_tensor, classes, pooling, dropout_rate,
                         classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
                     weights="imagenet", input_tensor=None, classes=1000, pooling=None,
                     dropout_rate=0.2, classifier_activation="softmax",
                     include_preprocessing=True, name="MobileNetV3Large"):
    """MobileNetV3Large, with Keras's layer names and weight layout.

    Inputs are RGB images with values in [0, 255]: the model rescales them itself
    (`include_preprocessing=True`), so `mobilenet_v3.preprocess_input` returns its input as
    is. A Keras weights file of the same architecture loads with `weights=path` or
    `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        input_shape: Shape without batch; any size of at least 32x32 (`None` sizes by
            default, also with the classifier).
        alpha: Width multiplier: scales the number of filters of every block.
        minimalistic: Drop squeeze-and-excitation, hard-swish and 5x5 kernels.
        include_top: Whether to end in the `conv_2` + `logits` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        classes: Number of classes of the classifier.
        pooling: With `include_top=False`: `None` (4D feature map), `"avg"` or `"max"`.
        dropout_rate: Dropout before the `logits` layer (none when 0).
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether the model starts with a `Rescaling` to [-1, 1].
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Raises:
        ValueError: For `weights="imagenet"`, a missing weights file or a bad input shape.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.applications.MobileNetV3Large(weights=None, include_top=False,
        ...                                          minimalistic=True, pooling="avg")
        >>> model.output_shape
        (None, 960)
    """
    return _mobilenet_v3("MobileNetV3Large", _LARGE, 1280, input_shape, alpha, minimalistic,
                         include_top, weights, input_tensor, classes, pooling, dropout_rate,
                         classifier_activation, include_preprocessing, name)


def preprocess_input(x, data_format=None):
    """Returns `x` unchanged: MobileNetV3 rescales its inputs itself, as in Keras.

    Args:
        x: Images (a NumPy array or a tensor).
        data_format: Ignored; kept for the same signature as the other families.

    Returns:
        `x` itself.

    Example:
        >>> import numpy as np
        >>> x = np.array([0.0, 255.0])
        >>> preprocess_input(x) is x
        True
    """
    return x
