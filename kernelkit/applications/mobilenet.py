"""MobileNet (Howard et al., 2017), layer for layer as in Keras."""

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

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_SIZES = (128, 160, 192, 224)
# (pointwise filters, stride) of the 13 depthwise separable blocks
_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
           (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else -1


def _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id):
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if stride == 1 else "valid",
                               depth_multiplier=depth_multiplier, strides=(stride, stride),
                               use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False,
                      strides=(1, 1), name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def _default_size(input_shape):
    if input_shape is None or len(input_shape) != 3:
        return 224
    first_format = config.image_data_format() == "channels_first"
    rows, cols = input_shape[1:] if first_format else input_shape[:2]
    return rows if rows == cols and rows in _SIZES else 224


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True,
              weights="imagenet", input_tensor=None, pooling=None, classes=1000,
              classifier_activation="softmax", name=None):
    """MobileNet (v1), with Keras's layer names and weight layout.

    Inputs are preprocessed with `kernelkit.applications.mobilenet.preprocess_input` ("tf").

    Args:
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        alpha: Width multiplier: scales the number of filters of every layer.
        depth_multiplier: Depth multiplier of the depthwise convolutions.
        dropout: Dropout rate before the classifier.
        include_top: Whether to end in the pooling, `dropout`, `conv_preds` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer.
        name: The model's name; `None` gives Keras's `"mobilenet_{alpha:.2f}_{rows}"`.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.applications.MobileNet(input_shape=(128, 128, 3), alpha=0.25,
        ...                                   weights=None, include_top=False)
        >>> model.name, model.output_shape
        ('mobilenet_0.25_128', (None, 4, 4, 256))
    """
    check_weights_argument("MobileNet", weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape("MobileNet", input_shape, _default_size(input_shape), 32,
                                      config.image_data_format(), include_top, weights)
    rows = input_shape[1 if config.image_data_format() == "channels_first" else 0]
    image, inputs = image_input("MobileNet", input_tensor, input_shape)
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2),
                      name="conv1")(image)
    x = layers.BatchNormalization(axis=_channel_axis(), name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        validate_classifier_activation("MobileNet", classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    name = f"mobilenet_{alpha:0.2f}_{rows}" if name is None else name
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """MobileNet's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
