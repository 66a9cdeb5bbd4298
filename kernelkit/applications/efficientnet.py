"""EfficientNetB0 to B7 (Tan and Le, 2019), layer for layer as in Keras."""

from __future__ import annotations

import math

from kernelkit import layers
from kernelkit.applications.efficientnet_blocks import (
    bn_axis,
    conv_kernel_initializer,
    correct_pad,
    dense_kernel_initializer,
    inverted_residual_block,
)
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.input_shapes import image_input, resolve_input_shape
from kernelkit.applications.pretrained_weights import (
    check_weights_argument,
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.config import image_data_format
from kernelkit.models import Functional

__all__ = ["EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3",
           "EfficientNetB4", "EfficientNetB5", "EfficientNetB6", "EfficientNetB7",
           "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/keras-applications/"
# variant -> (width coefficient, depth coefficient, default image size, classifier dropout)
VARIANTS = {
    "b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5),
}
# The seven stages of B0: (kernel size, repeats, filters in, filters out, expansion, strides,
# squeeze ratio); every block may skip its input through
DEFAULT_BLOCKS = (
    (3, 1, 32, 16, 1, 1, 0.25), (3, 2, 16, 24, 6, 2, 0.25), (5, 2, 24, 40, 6, 2, 0.25),
    (3, 3, 40, 80, 6, 2, 0.25), (5, 3, 80, 112, 6, 1, 0.25), (5, 4, 112, 192, 6, 2, 0.25),
    (3, 1, 192, 320, 6, 1, 0.25),
)
_DROP_CONNECT_RATE = 0.2


def round_filters(filters, width_coefficient, divisor=8):
    """Scales a channel count by the width coefficient, to a multiple of `divisor`.

    Args:
        filters: The channels of B0.
        width_coefficient: The variant's width coefficient.
        divisor: The channel counts are multiples of this.

    Returns:
        The variant's channel count (never more than 10% below the exact product).

    Example:
        >>> round_filters(32, 1.1), round_filters(1280, 2.0)
        (32, 2560)
    """
    filters *= width_coefficient
    rounded = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    return int(rounded + divisor if rounded < 0.9 * filters else rounded)


def round_repeats(repeats, depth_coefficient):
    """Scales a stage's block count by the depth coefficient, rounding up.

    Args:
        repeats: The blocks of the stage in B0.
        depth_coefficient: The variant's depth coefficient.

    Returns:
        The variant's block count.

    Example:
        >>> round_repeats(3, 1.4)
        5
    """
    return int(math.ceil(depth_coefficient * repeats))


def _stem(x, width):
    x = layers.Rescaling(1.0 / 255.0)(x)
    x = layers.Normalization(axis=bn_axis())(x)  # statistics come from the weights file
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32, width), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=conv_kernel_initializer(), name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis(), name="stem_bn")(x)
    return layers.Activation("swish", name="stem_activation")(x)


def _blocks(x, width, depth):
    total = float(sum(round_repeats(spec[1], depth) for spec in DEFAULT_BLOCKS))
    done = 0
    for i, (kernel, repeats, f_in, f_out, expand, strides, se) in enumerate(DEFAULT_BLOCKS):
        f_in, f_out = round_filters(f_in, width), round_filters(f_out, width)
        for j in range(round_repeats(repeats, depth)):
            x = inverted_residual_block(
                x, "swish", _DROP_CONNECT_RATE * done / total, f"block{i + 1}{chr(j + 97)}_",
                filters_in=f_in if j == 0 else f_out, filters_out=f_out, kernel_size=kernel,
                strides=strides if j == 0 else 1, expand_ratio=expand, se_ratio=se)
            done += 1
    return x


def _top(x, width, dropout, include_top, pooling, classes, classifier_activation, weights, who):
    x = layers.Conv2D(round_filters(1280, width), 1, padding="same", use_bias=False,
                      kernel_initializer=conv_kernel_initializer(), name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis(), name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout > 0:
            x = layers.Dropout(dropout, name="top_dropout")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation,
                            kernel_initializer=dense_kernel_initializer(), name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def build_efficientnet(variant, who, include_top, weights, input_tensor, input_shape, pooling,
                       classes, classifier_activation, name):
    """The EfficientNet of `VARIANTS[variant]`: stem, seven stages of MBConv blocks, top.

    Keras adds one more `Rescaling` (by 1/sqrt(std)) only when it downloads the ImageNet
    weights itself; with a weights file given by path, as here, it does not, nor does this.

    Returns:
        The `Functional` model, with the requested weights loaded.
    """
    width, depth, default_size, dropout = VARIANTS[variant]
    check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(who, input_shape, default_size, 32, image_data_format(),
                                      include_top, weights)
    x, inputs = image_input(who, input_tensor, input_shape)
    x = _blocks(_stem(x, width), width, depth)
    x = _top(x, width, dropout, include_top, pooling, classes, classifier_activation, weights,
             who)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb0"):
    """EfficientNetB0 (width x1.0, depth x1.0, 224x224 images), with Keras's names and layout.

    The model takes RGB pixels in [0, 255] and rescales and normalizes them itself
    (`preprocess_input` of this module is the identity). A Keras weights file of the same
    architecture loads with `weights=path`; `weights="imagenet"` cannot download here.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB0(weights=None, include_top=False, pooling="avg",
        ...                                  input_shape=(32, 32, 3)).output_shape
        (None, 1280)
    """
    return build_efficientnet("b0", "EfficientNetB0", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb1"):
    """EfficientNetB1 (width x1.0, depth x1.1, 240x240 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB1(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB1: weights='imagenet' needs a download...
    """
    return build_efficientnet("b1", "EfficientNetB1", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb2"):
    """EfficientNetB2 (width x1.1, depth x1.2, 260x260 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB2(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB2: weights='imagenet' needs a download...
    """
    return build_efficientnet("b2", "EfficientNetB2", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb3"):
    """EfficientNetB3 (width x1.2, depth x1.4, 300x300 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB3(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB3: weights='imagenet' needs a download...
    """
    return build_efficientnet("b3", "EfficientNetB3", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb4"):
    """EfficientNetB4 (width x1.4, depth x1.8, 380x380 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB4(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB4: weights='imagenet' needs a download...
    """
    return build_efficientnet("b4", "EfficientNetB4", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb5"):
    """EfficientNetB5 (width x1.6, depth x2.2, 456x456 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB5(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB5: weights='imagenet' needs a download...
    """
    return build_efficientnet("b5", "EfficientNetB5", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb6"):
    """EfficientNetB6 (width x1.8, depth x2.6, 528x528 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB6(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB6: weights='imagenet' needs a download...
    """
    return build_efficientnet("b6", "EfficientNetB6", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                   pooling=None, classes=1000, classifier_activation="softmax",
                   name="efficientnetb7"):
    """EfficientNetB7 (width x2.0, depth x3.1, 600x600 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetB7(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetB7: weights='imagenet' needs a download...
    """
    return build_efficientnet("b7", "EfficientNetB7", include_top, weights, input_tensor,
                              input_shape, pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """EfficientNet's preprocessing: none (the model rescales its inputs), so `x` unchanged.

    Kept for the API of Keras's `applications.efficientnet` module.

    Args:
        x: Images with values in [0, 255].
        data_format: Ignored (any layout).

    Returns:
        `x` itself.

    Example:
        >>> import numpy as np
        >>> x = np.zeros((1, 2, 2, 3))
        >>> preprocess_input(x) is x
        True
    """
    return x
