"""InceptionV3 (Szegedy et al., 2015), layer for layer as in Keras."""

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

__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else 3


def _conv_bn(x, filters, rows, cols, padding="same", strides=(1, 1), name=None):
    """Conv2D (no bias) + BatchNormalization (no scale) + ReLU, named like Keras's conv2d_bn."""
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False,
                      name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), scale=False,
                                  name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _average_pool_branch(x, filters):
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return _conv_bn(x, filters, 1, 1)


def _block_35(x, pool_filters, name):
    """Mixed 0-2 (35x35): 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = _conv_bn(x, 64, 1, 1)
    branch5x5 = _conv_bn(_conv_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = _conv_bn(_conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _average_pool_branch(x, pool_filters)
    return layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool],
                              axis=_channel_axis(), name=name)


def _reduction_35(x):
    """Mixed 3: 35x35 to 17x17."""
    branch3x3 = _conv_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _conv_bn(_conv_bn(x, 64, 1, 1), 96, 3, 3)
    branch3x3dbl = _conv_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=_channel_axis(),
                              name="mixed3")


def _block_17(x, width, name):
    """Mixed 4-7 (17x17): factorized 7x7 branches of `width` inner filters."""
    branch1x1 = _conv_bn(x, 192, 1, 1)
    branch7x7 = _conv_bn(_conv_bn(_conv_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    branch7x7dbl = _conv_bn(x, width, 1, 1)
    for rows, cols in ((7, 1), (1, 7), (7, 1)):
        branch7x7dbl = _conv_bn(branch7x7dbl, width, rows, cols)
    branch7x7dbl = _conv_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _average_pool_branch(x, 192)
    return layers.concatenate([branch1x1, branch7x7, branch7x7dbl, branch_pool],
                              axis=_channel_axis(), name=name)


def _reduction_17(x):
    """Mixed 8: 17x17 to 8x8."""
    branch3x3 = _conv_bn(_conv_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _conv_bn(_conv_bn(_conv_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    branch7x7x3 = _conv_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=_channel_axis(),
                              name="mixed8")


def _block_8(x, index):
    """Mixed 9 and 10 (8x8): expanded 1x3 / 3x1 filter banks."""
    axis = _channel_axis()
    branch1x1 = _conv_bn(x, 320, 1, 1)
    branch3x3 = _conv_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate([_conv_bn(branch3x3, 384, 1, 3),
                                    _conv_bn(branch3x3, 384, 3, 1)],
                                   axis=axis, name=f"mixed9_{index}")
    branch3x3dbl = _conv_bn(_conv_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.concatenate([_conv_bn(branch3x3dbl, 384, 1, 3),
                                       _conv_bn(branch3x3dbl, 384, 3, 1)], axis=axis)
    branch_pool = _average_pool_branch(x, 192)
    return layers.concatenate([branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=axis,
                              name=f"mixed{9 + index}")


def _features(image):
    x = _conv_bn(image, 32, 3, 3, strides=(2, 2), padding="valid")
    x = _conv_bn(x, 32, 3, 3, padding="valid")
    x = _conv_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _conv_bn(x, 80, 1, 1, padding="valid")
    x = _conv_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for index, pool_filters in enumerate((32, 64, 64)):  # 35 x 35 x 256, 288, 288
        x = _block_35(x, pool_filters, name=f"mixed{index}")
    x = _reduction_35(x)  # 17 x 17 x 768
    for index, width in enumerate((128, 160, 160, 192), start=4):
        x = _block_17(x, width, name=f"mixed{index}")
    x = _reduction_17(x)  # 8 x 8 x 1280
    for index in range(2):  # 8 x 8 x 2048
        x = _block_8(x, index)
    return x


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="inception_v3"):
    """InceptionV3, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.inception_v3.preprocess_input`
    (scaled to [-1, 1]). A Keras weights file of the same architecture loads with
    `weights=path` or `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; `(299, 299, 3)` by default, free with
            `include_top=False` (at least 75x75).
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
        >>> model = kk.applications.InceptionV3(weights=None, include_top=False,
        ...                                     input_shape=(75, 75, 3), pooling="avg")
        >>> model.output_shape
        (None, 2048)
    """
    input_shape = check_image_arguments("InceptionV3", weights, include_top, classes,
                                        WEIGHTS_URL, input_shape, 299, 75)
    image, inputs = image_input("InceptionV3", input_tensor, input_shape)
    x = _features(image)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_classifier_activation("InceptionV3", classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """InceptionV3's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
