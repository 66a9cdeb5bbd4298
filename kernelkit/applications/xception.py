"""Xception (Chollet, 2017), layer for layer as in Keras."""

from __future__ import annotations

from kernelkit import config, layers
from kernelkit.applications.image_arguments import check_image_arguments
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.imagenet_preprocessing import preprocess_input as _preprocess
from kernelkit.applications.input_shapes import image_input
from kernelkit.applications.pretrained_weights import (
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.models import Functional

__all__ = ["Xception", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else -1


def _batch_norm(name=None):
    return layers.BatchNormalization(axis=_channel_axis(), name=name)


def _sepconv_bn(x, filters, name):
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return _batch_norm(f"{name}_bn")(x)


def _downsampling_block(x, filters, block, first_activation=True):
    """Two separable convolutions and a stride-2 max pool, plus a strided 1x1 shortcut."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same",
                             use_bias=False)(x)
    residual = _batch_norm()(residual)
    if first_activation:
        x = layers.Activation("relu", name=f"{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"{block}_sepconv1")
    x = layers.Activation("relu", name=f"{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[1], f"{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{block}_pool")(x)
    return layers.add([x, residual])


def _middle_block(x, block):
    """Three ReLU + separable convolutions of 728 filters around an identity shortcut."""
    residual = x
    for index in (1, 2, 3):
        x = layers.Activation("relu", name=f"{block}_sepconv{index}_act")(x)
        x = _sepconv_bn(x, 728, f"{block}_sepconv{index}")
    return layers.add([x, residual])


def _features(image):
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(image)
    x = _batch_norm("block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = _batch_norm("block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = _downsampling_block(x, (128, 128), "block2", first_activation=False)
    x = _downsampling_block(x, (256, 256), "block3")
    x = _downsampling_block(x, (728, 728), "block4")
    for index in range(5, 13):
        x = _middle_block(x, f"block{index}")
    x = _downsampling_block(x, (728, 1024), "block13")
    for index, filters in ((1, 1536), (2, 2048)):
        x = _sepconv_bn(x, filters, f"block14_sepconv{index}")
        x = layers.Activation("relu", name=f"block14_sepconv{index}_act")(x)
    return x


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """Xception, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.xception.preprocess_input`
    (scaled to [-1, 1]). A Keras weights file of the same architecture loads with
    `weights=path` or `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; `(299, 299, 3)` by default, free with
            `include_top=False` (at least 71x71).
        pooling: With `include_top=False`: `None` (4D feature map), `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Raises:
        ValueError: For `weights="imagenet"`, a missing weights file or a bad input shape.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.applications.Xception(weights=None, include_top=False,
        ...                                  input_shape=(71, 71, 3), pooling="max")
        >>> model.output_shape
        (None, 2048)
    """
    input_shape = check_image_arguments("Xception", weights, include_top, classes, WEIGHTS_URL,
                                        input_shape, 299, 71)
    image, inputs = image_input("Xception", input_tensor, input_shape)
    x = _features(image)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_classifier_activation("Xception", classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """Xception's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
