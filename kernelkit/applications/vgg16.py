"""VGG16 (Simonyan and Zisserman, 2014) and the VGG builder it shares with VGG19, as in Keras."""

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

__all__ = ["VGG16", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
_FILTERS = (64, 128, 256, 512, 512)


def build_vgg(convs_per_block, include_top, weights, input_tensor, input_shape, pooling,
              classes, classifier_activation, name, who, url):
    """Five blocks of 3x3 'same' convolutions and 2x2 max pooling, then the classifier.

    Returns:
        The `Functional` model, with the requested weights loaded.
    """
    check_weights_argument(who, weights, include_top, classes, url)
    input_shape = resolve_input_shape(who, input_shape, 224, 32, config.image_data_format(),
                                      include_top, weights)
    image, inputs = image_input(who, input_tensor, input_shape)
    x = image
    for block, (filters, convs) in enumerate(zip(_FILTERS, convs_per_block), start=1):
        for conv in range(1, convs + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{conv}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    """VGG16, with Keras's layer names and weight layout.

    Inputs are preprocessed with `kernelkit.applications.vgg16.preprocess_input` ("caffe").

    Args:
        include_top: Whether to end in the `flatten`, `fc1`, `fc2`, `predictions` classifier.
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
        >>> kk.applications.VGG16(weights=None, include_top=False,
        ...                       input_shape=(32, 32, 3)).output_shape
        (None, 1, 1, 512)
    """
    return build_vgg((2, 2, 3, 3, 3), include_top, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name, "VGG16", WEIGHTS_URL)


def preprocess_input(x, data_format=None):
    """VGG's preprocessing: Keras's "caffe" mode (RGB to BGR, minus ImageNet's mean pixel).

    Args:
        x: Images with values in [0, 255] (a NumPy array is changed in place).
        data_format: `"channels_last"`, `"channels_first"` or `None` (the global setting).

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.zeros((1, 1, 1, 3)))[0, 0, 0]
        array([-103.939, -116.779, -123.68 ])
    """
    return _preprocess(x, data_format=data_format, mode="caffe")
