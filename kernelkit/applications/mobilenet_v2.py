"""MobileNetV2 (Sandler et al., 2018), layer for layer as in Keras."""

from __future__ import annotations

from kernelkit import config, layers
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.imagenet_preprocessing import preprocess_input as _preprocess
from kernelkit.applications.input_shapes import image_input, resolve_input_shape
from kernelkit.applications.pretrained_weights import (
    check_weights_argument,
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.models import Functional

__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_SIZES = (96, 128, 160, 192, 224)
# (filters, stride, expansion) of the 17 inverted residual blocks
_BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
           (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6),
           (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6))


def _make_divisible(value, divisor, min_value=None):
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _spatial_axes():
    return (1, 2) if config.image_data_format() == "channels_last" else (2, 3)


def _correct_pad(x, kernel_size):
    """Zero padding so that a stride-2 'valid' convolution acts like TensorFlow's 'same'."""
    rows, cols = (x.shape[a] for a in _spatial_axes())
    adjust = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = kernel_size // 2
    return ((half - adjust[0], half), (half - adjust[1], half))


def _batch_norm(name):
    axis = -1 if config.image_data_format() == "channels_last" else 1
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    channel_axis = -1 if config.image_data_format() == "channels_last" else 1
    in_channels = inputs.shape[channel_axis]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same",
                          use_bias=False, activation=None, name=f"{prefix}expand")(x)
        x = _batch_norm(f"{prefix}expand_BN")(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid",
                               name=f"{prefix}depthwise")(x)
    x = _batch_norm(f"{prefix}depthwise_BN")(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False,
                      activation=None, name=f"{prefix}project")(x)
    x = _batch_norm(f"{prefix}project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _default_size(input_shape, input_tensor):
    if input_shape is None and input_tensor is not None and hasattr(input_tensor, "shape"):
        shape = tuple(input_tensor.shape)[1:]
    elif input_shape is not None:
        shape = tuple(input_shape)
    else:
        return 224
    if len(shape) != 3:
        return 224
    rows, cols = shape[1:] if config.image_data_format() == "channels_first" else shape[:2]
    return rows if rows == cols and rows in _SIZES else 224


def _rows(input_shape):
    # weights="imagenet" is refused before this point, so the rows are never reset to 224
    return input_shape[_spatial_axes()[0] - 1]


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",
                input_tensor=None, pooling=None, classes=1000,
                classifier_activation="softmax", name=None):
    """MobileNetV2, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.mobilenet_v2.preprocess_input`
    (scaled to [-1, 1]). A Keras weights file of the same architecture loads with
    `weights=path` or `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        input_shape: Shape without batch, e.g. `(224, 224, 3)`; free with
            `include_top=False` (at least 32x32).
        alpha: Width multiplier: scales the number of filters of every layer.
        include_top: Whether to end in the pooling + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        pooling: With `include_top=False`: `None` (4D feature map), `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name; `None` gives Keras's `"mobilenetv2_{alpha:.2f}_{rows}"`.

    Returns:
        A `kernelkit.Functional` model.

    Raises:
        ValueError: For `weights="imagenet"`, a missing weights file or a bad input shape.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35,
        ...                                     weights=None, include_top=False)
        >>> model.name, model.output_shape
        ('mobilenetv2_0.35_96', (None, 3, 3, 1280))
    """
    check_weights_argument("MobileNetV2", weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(
        "MobileNetV2", input_shape, _default_size(input_shape, input_tensor), 32,
        config.image_data_format(), include_top, weights)
    rows = _rows(input_shape)
    image, inputs = image_input("MobileNetV2", input_tensor, input_shape)
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2),
                      padding="same", use_bias=False, name="Conv1")(image)
    x = _batch_norm("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride,
                                expansion=expansion, block_id=block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _batch_norm("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        validate_classifier_activation("MobileNetV2", classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    name = f"mobilenetv2_{alpha:0.2f}_{rows}" if name is None else name
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """MobileNetV2's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

    Args:
        x: Images with values in [0, 255] (a NumPy array is changed in place).
        data_format: `"channels_last"`, `"channels_first"` or `None` (the global setting).

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.array([[[[0.0, 127.5, 255.0]]]]))[0, 0, 0]
        array([-1.,  0.,  1.])
    """
    return _preprocess(x, data_format=data_format, mode="tf")
