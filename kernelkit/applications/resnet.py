"""ResNet50, ResNet101 and ResNet152 (He et al., 2015), layer for layer as in Keras."""

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

__all__ = ["ResNet101", "ResNet152", "ResNet50", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"


def _bn_axis():
    return 3 if config.image_data_format() == "channels_last" else 1


def batch_norm(name):
    """The batch normalization of ResNets (epsilon 1.001e-5 on the channel axis)."""
    return layers.BatchNormalization(axis=_bn_axis(), epsilon=1.001e-5, name=name)


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """One bottleneck block of ResNet v1 (1x1, kxk, 1x1 convolutions plus a shortcut)."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = batch_norm(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = batch_norm(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=f"{name}_2_conv")(x)
    x = batch_norm(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = batch_norm(f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` v1 blocks; the first one downsamples by `stride1` and projects the shortcut."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def build_resnet(stack_fn, preact, use_bias, include_top, weights, input_tensor, input_shape,
                 pooling, classes, classifier_activation, name, who):
    """The shared stem, body (`stack_fn`) and head of the ResNet families.

    Returns:
        The `Functional` model, with the requested weights loaded.
    """
    check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(who, input_shape, 224, 32, config.image_data_format(),
                                      include_top, weights)
    image, inputs = image_input(who, input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(image)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = batch_norm("conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = batch_norm("post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def _v1_stacks(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")
    return stack_fn


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    """ResNet50, the 50-layer residual network, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with `kernelkit.applications.resnet.preprocess_input`.
    A Keras weights file of the same architecture loads with `weights=path` or
    `model.load_weights(path)`; `weights="imagenet"` cannot download here.

    Args:
        include_top: Whether to end in the `avg_pool` + `predictions` classifier.
        weights: `None` (random initialization), the path of a weights file, or
            `"imagenet"` (refused: it needs a download).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch, e.g. `(224, 224, 3)`; free with
            `include_top=False` (at least 32x32, 3 channels for pretrained weights).
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
        >>> model = kk.applications.ResNet50(weights=None, include_top=False,
        ...                                  input_shape=(32, 32, 3), pooling="avg")
        >>> model.output_shape
        (None, 2048)
    """
    return build_resnet(_v1_stacks((3, 4, 6, 3)), False, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet50")


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    """ResNet101 (blocks 3, 4, 23, 3), with Keras's layer names and weight layout.

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
        >>> model = kk.applications.ResNet101(weights=None, include_top=False,
        ...                                   input_shape=(32, 32, 3))
        >>> model.output_shape
        (None, 1, 1, 2048)
    """
    return build_resnet(_v1_stacks((3, 4, 23, 3)), False, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet101")


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    """ResNet152 (blocks 3, 8, 36, 3), with Keras's layer names and weight layout.

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
        >>> model = kk.applications.ResNet152(weights=None, include_top=False,
        ...                                   input_shape=(32, 32, 3), pooling="max")
        >>> model.output_shape
        (None, 2048)
    """
    return build_resnet(_v1_stacks((3, 8, 36, 3)), False, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet152")


def preprocess_input(x, data_format=None):
    """ResNet's preprocessing: Keras's "caffe" mode (RGB to BGR, minus ImageNet's mean pixel).

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
