"""DenseNet121, DenseNet169 and DenseNet201 (Huang et al., 2016), layer for layer as in Keras."""

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

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions",
           "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"


def _bn_axis():
    return 3 if config.image_data_format() == "channels_last" else 1


def _batch_norm(name):
    return layers.BatchNormalization(axis=_bn_axis(), epsilon=1.001e-5, name=name)


def _conv_block(x, growth_rate, name):
    x1 = _batch_norm(f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = _batch_norm(f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                       name=f"{name}_2_conv")(x1)
    return layers.Concatenate(axis=_bn_axis(), name=f"{name}_concat")([x, x1])


def _dense_block(x, blocks, name):
    for i in range(blocks):
        x = _conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def _transition_block(x, reduction, name):
    x = _batch_norm(f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[_bn_axis()] * reduction), 1, use_bias=False,
                      name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def build_densenet(blocks, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name, who):
    """The DenseNet stem, four dense blocks with transitions, and the head.

    Returns:
        The `Functional` model, with the requested weights loaded.
    """
    check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(who, input_shape, 224, 32, config.image_data_format(),
                                      include_top, weights)
    image, inputs = image_input(who, input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(image)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _batch_norm("conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks, start=2):
        x = _dense_block(x, count, name=f"conv{stage}")
        if stage < 5:
            x = _transition_block(x, 0.5, name=f"pool{stage}")
    x = _batch_norm("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet121"):
    """DenseNet121 (dense blocks 6, 12, 24, 16), with Keras's layer names and weight layout.

    Inputs are preprocessed with `kernelkit.applications.densenet.preprocess_input` ("torch").

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3),
        ...                             pooling="avg").output_shape
        (None, 1024)
    """
    return build_densenet((6, 12, 24, 16), include_top, weights, input_tensor, input_shape,
                          pooling, classes, classifier_activation, name, "DenseNet121")


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet169"):
    """DenseNet169 (dense blocks 6, 12, 32, 32), with Keras's layer names and weight layout.

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.DenseNet169(weights=None, include_top=False, input_shape=(32, 32, 3),
        ...                             pooling="max").output_shape
        (None, 1664)
    """
    return build_densenet((6, 12, 32, 32), include_top, weights, input_tensor, input_shape,
                          pooling, classes, classifier_activation, name, "DenseNet169")


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet201"):
    """DenseNet201 (dense blocks 6, 12, 48, 32), with Keras's layer names and weight layout.

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.DenseNet201(weights=None, include_top=False, input_shape=(32, 32, 3),
        ...                             pooling="avg").output_shape
        (None, 1920)
    """
    return build_densenet((6, 12, 48, 32), include_top, weights, input_tensor, input_shape,
                          pooling, classes, classifier_activation, name, "DenseNet201")


def preprocess_input(x, data_format=None):
    """DenseNet's preprocessing: Keras's "torch" mode (to [0, 1], then ImageNet mean and std).

    Args:
        x: Images with values in [0, 255] (a NumPy array is changed in place).
        data_format: `"channels_last"`, `"channels_first"` or `None` (the global setting).

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.full((1, 1, 1, 3), 255.0))[0, 0, 0].round(3)
        array([2.249, 2.429, 2.64 ])
    """
    return _preprocess(x, data_format=data_format, mode="torch")
