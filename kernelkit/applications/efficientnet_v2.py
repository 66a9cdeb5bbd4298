"""EfficientNetV2 B0 to B3, S, M and L (Tan and Le, 2021), layer for layer as in Keras."""

from __future__ import annotations

import math

from kernelkit import initializers, layers
from kernelkit.applications.efficientnet_blocks import (
    bn_axis,
    conv_kernel_initializer,
    dense_kernel_initializer,
)
from kernelkit.applications.efficientnet_v2_blocks import (
    BLOCKS,
    fused_mb_conv_block,
    mb_conv_block,
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

__all__ = ["EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
           "EfficientNetV2L", "EfficientNetV2M", "EfficientNetV2S", "decode_predictions",
           "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
# variant -> (width coefficient, depth coefficient, default image size, stage table)
VARIANTS = {
    "b0": (1.0, 1.0, 224, "b"), "b1": (1.0, 1.1, 240, "b"), "b2": (1.1, 1.2, 260, "b"),
    "b3": (1.2, 1.4, 300, "b"), "s": (1.0, 1.0, 384, "s"), "m": (1.0, 1.0, 480, "m"),
    "l": (1.0, 1.0, 480, "l"),
}
_DROPOUT, _DROP_CONNECT_RATE, _BN_MOMENTUM = 0.2, 0.2, 0.9
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def round_filters(filters, width_coefficient, min_depth=8, depth_divisor=8):
    """Scales a channel count by the width coefficient, to the nearest multiple of the divisor.

    Args:
        filters: The channels of the unscaled table.
        width_coefficient: The variant's width coefficient.
        min_depth: The smallest channel count.
        depth_divisor: The channel counts are multiples of this.

    Returns:
        The variant's channel count.

    Example:
        >>> round_filters(1280, 1.2), round_filters(16, 1.1)
        (1536, 16)
    """
    filters *= width_coefficient
    rounded = int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
    return int(max(min_depth or depth_divisor, rounded))


def round_repeats(repeats, depth_coefficient):
    """Scales a stage's block count by the depth coefficient, rounding up.

    Args:
        repeats: The blocks of the stage in the table.
        depth_coefficient: The variant's depth coefficient.

    Returns:
        The variant's block count.

    Example:
        >>> round_repeats(8, 1.1)
        9
    """
    return int(math.ceil(depth_coefficient * repeats))


def _preprocessing(x, family, channels):
    if family == "b" and channels == 3:  # the B models keep EfficientNet's ImageNet scaling
        x = layers.Rescaling(scale=1.0 / 255)(x)
        return layers.Normalization(mean=list(_IMAGENET_MEAN),
                                    variance=[s**2 for s in _IMAGENET_STD], axis=bn_axis())(x)
    return layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)


def _conv_bn_activation(x, filters, kernel_size, strides, name):
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False,
                      kernel_initializer=conv_kernel_initializer(), name=f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis(), momentum=_BN_MOMENTUM, name=f"{name}_bn")(x)
    return layers.Activation("swish", name=f"{name}_activation")(x)


def _blocks(x, stages, width, depth):
    total = float(sum(stage[1] for stage in stages))  # Keras counts the unscaled repeats here
    done = 0
    for i, (kernel, repeats, f_in, f_out, expand, se, strides, fused) in enumerate(stages):
        f_in, f_out = round_filters(f_in, width), round_filters(f_out, width)
        block = fused_mb_conv_block if fused else mb_conv_block
        for j in range(round_repeats(repeats, depth)):
            x = block(x, f_in if j == 0 else f_out, f_out, expand, kernel,
                      strides if j == 0 else 1, se, _BN_MOMENTUM, "swish",
                      _DROP_CONNECT_RATE * done / total, f"block{i + 1}{chr(j + 97)}_")
            done += 1
    return x


def _head(x, include_top, pooling, classes, classifier_activation, weights, who):
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(_DROPOUT, name="top_dropout")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation,
                            kernel_initializer=dense_kernel_initializer(),
                            bias_initializer=initializers.Constant(0.0), name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def build_efficientnet_v2(variant, who, include_top, weights, input_tensor, input_shape,
                          pooling, classes, classifier_activation, include_preprocessing, name):
    """The EfficientNetV2 of `VARIANTS[variant]`: rescaling, stem, stages of blocks, top.

    Keras picks the stage table and the rescaling from the model's name (so another `name`
    fails there); here they come from the variant, and any `name` works.

    Returns:
        The `Functional` model, with the requested weights loaded.
    """
    width, depth, default_size, family = VARIANTS[variant]
    stages = BLOCKS[family]
    check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(who, input_shape, default_size, 32, image_data_format(),
                                      include_top, weights)
    x, inputs = image_input(who, input_tensor, input_shape)
    if include_preprocessing:
        x = _preprocessing(x, family, input_shape[bn_axis() - 1])
    x = _conv_bn_activation(x, round_filters(stages[0][2], width), 3, 2, "stem")
    x = _blocks(x, stages, width, depth)
    x = _conv_bn_activation(x, round_filters(1280, width), 1, 1, "top")
    x = _head(x, include_top, pooling, classes, classifier_activation, weights, who)
    return load_requested_weights(Functional(inputs, x, name=name), weights)



def EfficientNetV2B0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                     pooling=None, classes=1000, classifier_activation="softmax",
                     include_preprocessing=True, name="efficientnetv2-b0"):
    """EfficientNetV2B0 (width x1.0, depth x1.0, 224x224 images), with Keras's names and layout.

    The model takes RGB pixels in [0, 255] and rescales them itself (`preprocess_input` of
    this module is the identity); with `include_preprocessing=False` it takes pixels scaled
    to [-1, 1] instead. A Keras weights file of the same architecture loads with
    `weights=path`; `weights="imagenet"` cannot download here.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2B0(weights=None, include_top=False, pooling="avg",
        ...                                    input_shape=(32, 32, 3)).output_shape
        (None, 1280)
    """
    return build_efficientnet_v2("b0", "EfficientNetV2B0", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2B1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                     pooling=None, classes=1000, classifier_activation="softmax",
                     include_preprocessing=True, name="efficientnetv2-b1"):
    """EfficientNetV2B1 (width x1.0, depth x1.1, 240x240 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2B1(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2B1: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("b1", "EfficientNetV2B1", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2B2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                     pooling=None, classes=1000, classifier_activation="softmax",
                     include_preprocessing=True, name="efficientnetv2-b2"):
    """EfficientNetV2B2 (width x1.1, depth x1.2, 260x260 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2B2(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2B2: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("b2", "EfficientNetV2B2", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2B3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                     pooling=None, classes=1000, classifier_activation="softmax",
                     include_preprocessing=True, name="efficientnetv2-b3"):
    """EfficientNetV2B3 (width x1.2, depth x1.4, 300x300 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2B3(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2B3: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("b3", "EfficientNetV2B3", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2S(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                    pooling=None, classes=1000, classifier_activation="softmax",
                    include_preprocessing=True, name="efficientnetv2-s"):
    """EfficientNetV2S (the S stage table, 384x384 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2S(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2S: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("s", "EfficientNetV2S", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2M(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                    pooling=None, classes=1000, classifier_activation="softmax",
                    include_preprocessing=True, name="efficientnetv2-m"):
    """EfficientNetV2M (the M stage table, 480x480 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2M(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2M: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("m", "EfficientNetV2M", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def EfficientNetV2L(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                    pooling=None, classes=1000, classifier_activation="softmax",
                    include_preprocessing=True, name="efficientnetv2-l"):
    """EfficientNetV2L (the L stage table, 480x480 images), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `avg_pool`, `top_dropout`, `predictions` classifier.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the `predictions` layer (`None` for logits).
        include_preprocessing: Whether to start with the layers that rescale the pixels.
        name: The model's name.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.EfficientNetV2L(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: EfficientNetV2L: weights='imagenet' needs a download...
    """
    return build_efficientnet_v2("l", "EfficientNetV2L", include_top, weights, input_tensor,
                                 input_shape, pooling, classes, classifier_activation,
                                 include_preprocessing, name)


def preprocess_input(x, data_format=None):
    """EfficientNetV2's preprocessing: none (the model rescales its inputs), so `x` unchanged.

    Kept for the API of Keras's `applications.efficientnet_v2` module.

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
