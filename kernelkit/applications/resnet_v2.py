"""ResNet50V2, ResNet101V2 and ResNet152V2 (pre-activation ResNets), layer for layer as in Keras."""

from __future__ import annotations

from kernelkit import layers
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.imagenet_preprocessing import preprocess_input as _preprocess
from kernelkit.applications.resnet import batch_norm, build_resnet

__all__ = ["ResNet101V2", "ResNet152V2", "ResNet50V2", "decode_predictions", "preprocess_input"]


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """One pre-activation bottleneck block (batch norm and ReLU before each convolution)."""
    preact = batch_norm(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = batch_norm(f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False,
                      name=f"{name}_2_conv")(x)
    x = batch_norm(f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` v2 blocks; the last one downsamples by `stride1`, the first projects."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _v2_stacks(blocks):
    def stack_fn(x):
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")
    return stack_fn


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
               pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    """ResNet50V2 (blocks 3, 4, 6, 3), with Keras's layer names and weight layout.

    Inputs are preprocessed with `kernelkit.applications.resnet_v2.preprocess_input`.

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
        >>> model = kk.applications.ResNet50V2(weights=None, include_top=False,
        ...                                    input_shape=(32, 32, 3), pooling="avg")
        >>> model.output_shape
        (None, 2048)
    """
    return build_resnet(_v2_stacks((3, 4, 6, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet50V2")


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet101v2"):
    """ResNet101V2 (blocks 3, 4, 23, 3), with Keras's layer names and weight layout.

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
        >>> kk.applications.ResNet101V2(weights=None, include_top=False,
        ...                             input_shape=(32, 32, 3)).output_shape
        (None, 1, 1, 2048)
    """
    return build_resnet(_v2_stacks((3, 4, 23, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet101V2")


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet152v2"):
    """ResNet152V2 (blocks 3, 8, 36, 3), with Keras's layer names and weight layout.

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
        >>> kk.applications.ResNet152V2(weights=None, include_top=False,
        ...                             input_shape=(32, 32, 3)).name
        'resnet152v2'
    """
    return build_resnet(_v2_stacks((3, 8, 36, 3)), True, True, include_top, weights,
                        input_tensor, input_shape, pooling, classes, classifier_activation,
                        name, "ResNet152V2")


def preprocess_input(x, data_format=None):
    """ResNetV2's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
