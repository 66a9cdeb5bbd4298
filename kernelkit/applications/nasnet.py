"""NASNetMobile and NASNetLarge (Zoph et al., 2018), layer for layer as in Keras."""

from __future__ import annotations

import warnings

from kernelkit import config, layers
from kernelkit.applications.image_arguments import check_image_arguments
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.imagenet_preprocessing import preprocess_input as _preprocess
from kernelkit.applications.input_shapes import image_input
from kernelkit.applications.nasnet_cells import (
    batch_norm,
    normal_a_cell,
    reduction_a_cell,
    scoped,
)
from kernelkit.applications.pretrained_weights import (
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.models import Functional

__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"


def _check_static_shape(who, input_shape, weights):
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            f"{who}: ImageNet weights need a static input shape. Expected no `None` entry. "
            f"Received: input_shape={input_shape}. Give all sizes or use weights=None.")


def _warn_channels_first():
    if config.image_data_format() != "channels_last":
        warnings.warn(
            "NASNet models are defined for the 'channels_last' image data format, as in "
            "Keras. Received: image_data_format='channels_first'. Set "
            "kernelkit.config.set_image_data_format('channels_last') for pretrained weights.",
            stacklevel=3)


def _cells(x, filters, num_blocks, skip_reduction, filter_multiplier):
    """Two stem reductions, then three stacks of normal cells with reductions between."""
    p = None
    x, p = reduction_a_cell(x, p, filters // (filter_multiplier ** 2), block_id="stem_1")
    x, p = reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stack in range(3):
        if stack:
            x, p0 = reduction_a_cell(x, p, filters, block_id=f"reduce_{stack * num_blocks}")
            p = p if skip_reduction else p0
        first_id = stack * num_blocks + (1 if stack else 0)  # 0, N + 1, 2N + 1 as in Keras
        for i in range(num_blocks):
            x, p = normal_a_cell(x, p, filters, block_id=f"{first_id + i}")
        filters *= filter_multiplier
    return x


def _nasnet(who, input_shape, penultimate_filters, num_blocks, stem_block_filters,
            skip_reduction, include_top, weights, input_tensor, pooling, classes, default_size,
            classifier_activation, name):
    _check_static_shape(who, input_shape, weights)
    input_shape = check_image_arguments(who, weights, include_top, classes, WEIGHTS_URL,
                                        input_shape, default_size, 32)
    _warn_channels_first()
    image, inputs = image_input(who, input_tensor, input_shape)
    x = scoped(layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid",
                             use_bias=False, name="stem_conv1",
                             kernel_initializer="he_normal"), image, "")
    x = batch_norm(x, "stem_bn1")
    x = _cells(x, penultimate_filters // 24, num_blocks, skip_reduction, 2)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None,
                 pooling=None, classes=1000, classifier_activation="softmax",
                 name="nasnet_mobile"):
    """NASNet-A (4 @ 1056), the mobile version, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.nasnet.preprocess_input`
    (scaled to [-1, 1]). A Keras weights file of the same architecture loads with
    `weights=path` or `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        input_shape: Shape without batch; `(224, 224, 3)` by default (also with
            `include_top=False`), at least 32x32.
        include_top: Whether to end in the pooling + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
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
        >>> model = kk.applications.NASNetMobile(weights=None, include_top=False,
        ...                                      input_shape=(32, 32, 3), pooling="avg")
        >>> model.output_shape
        (None, 1056)
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return _nasnet("NASNetMobile", input_shape, 1056, 4, 32, False, include_top, weights,
                   input_tensor, pooling, classes, 224, classifier_activation, name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="nasnet_large"):
    """NASNet-A (6 @ 4032), the large version, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.nasnet.preprocess_input`
    (scaled to [-1, 1]). A Keras weights file of the same architecture loads with
    `weights=path` or `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        input_shape: Shape without batch; `(331, 331, 3)` by default, free with
            `include_top=False` (at least 32x32).
        include_top: Whether to end in the pooling + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
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
        >>> kk.applications.NASNetLarge(weights="imagenet")
        Traceback (most recent call last):
        ...
        ValueError: NASNetLarge: weights='imagenet' needs a download, ...
    """
    return _nasnet("NASNetLarge", input_shape, 4032, 6, 96, True, include_top, weights,
                   input_tensor, pooling, classes, 331, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """NASNet's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
