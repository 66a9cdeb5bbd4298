"""InceptionResNetV2 (Szegedy et al., 2016), layer for layer as in Keras."""

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
from kernelkit.layers.layer import Layer
from kernelkit.models import Functional
from kernelkit.registry import register_builtin

__all__ = ["CustomScaleLayer", "InceptionResNetV2", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"


@register_builtin("keras.src.applications.inception_resnet_v2")
class CustomScaleLayer(Layer):
    """The residual sum of an Inception-ResNet block: `inputs[0] + inputs[1] * scale`.

    Args:
        scale: The factor of the residual branch.

    Input shape:
        A list of two tensors of one shape: the shortcut and the residual branch.

    Output shape:
        The same shape.

    Example:
        >>> import jax.numpy as jnp
        >>> CustomScaleLayer(0.5)([jnp.ones((1, 2)), jnp.full((1, 2), 4.0)]).tolist()
        [[3.0, 3.0]]
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.built = True

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def _channel_axis():
    return 1 if config.image_data_format() == "channels_first" else 3


def _conv_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu",
             use_bias=False, name=None):
    """Conv2D, BatchNormalization (no scale) unless biased, activation: Keras's conv2d_bn."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias,
                      name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=_channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


_FACTORIZED = {"block17": (128, 160, 192, [1, 7], [7, 1]),  # inner filters, then 1xn, nx1
               "block8": (192, 224, 256, [1, 3], [3, 1])}


def _residual_branches(x, block_type):
    if block_type == "block35":
        return [_conv_bn(x, 32, 1),
                _conv_bn(_conv_bn(x, 32, 1), 32, 3),
                _conv_bn(_conv_bn(_conv_bn(x, 32, 1), 48, 3), 64, 3)]
    inner, first, second, row_kernel, column_kernel = _FACTORIZED[block_type]
    branch_0 = _conv_bn(x, 192, 1)
    branch_1 = _conv_bn(_conv_bn(_conv_bn(x, inner, 1), first, row_kernel), second,
                        column_kernel)
    return [branch_0, branch_1]


def _inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """`x + scale * residual(x)`, with Keras's `{block_type}_{block_idx}_*` layer names."""
    block_name = f"{block_type}_{block_idx}"
    mixed = layers.Concatenate(axis=_channel_axis(), name=f"{block_name}_mixed")(
        _residual_branches(x, block_type))
    up = _conv_bn(mixed, x.shape[_channel_axis()], 1, activation=None, use_bias=True,
                  name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def _stem(image):
    """35 x 35 x 192."""
    x = _conv_bn(image, 32, 3, strides=2, padding="valid")
    x = _conv_bn(x, 32, 3, padding="valid")
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _conv_bn(x, 80, 1, padding="valid")
    x = _conv_bn(x, 192, 3, padding="valid")
    return layers.MaxPooling2D(3, strides=2)(x)


def _mixed_5b(x):
    """Inception-A block: 35 x 35 x 320."""
    branches = [_conv_bn(x, 96, 1),
                _conv_bn(_conv_bn(x, 48, 1), 64, 5),
                _conv_bn(_conv_bn(_conv_bn(x, 64, 1), 96, 3), 96, 3)]
    branch_pool = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branches.append(_conv_bn(branch_pool, 64, 1))
    return layers.Concatenate(axis=_channel_axis(), name="mixed_5b")(branches)


def _mixed_6a(x):
    """Reduction-A block: 17 x 17 x 1088."""
    branches = [_conv_bn(x, 384, 3, strides=2, padding="valid"),
                _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 256, 3), 384, 3, strides=2,
                         padding="valid"),
                layers.MaxPooling2D(3, strides=2, padding="valid")(x)]
    return layers.Concatenate(axis=_channel_axis(), name="mixed_6a")(branches)


def _mixed_7a(x):
    """Reduction-B block: 8 x 8 x 2080."""
    branches = [_conv_bn(_conv_bn(x, 256, 1), 384, 3, strides=2, padding="valid"),
                _conv_bn(_conv_bn(x, 256, 1), 288, 3, strides=2, padding="valid"),
                _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 288, 3), 320, 3, strides=2,
                         padding="valid"),
                layers.MaxPooling2D(3, strides=2, padding="valid")(x)]
    return layers.Concatenate(axis=_channel_axis(), name="mixed_7a")(branches)


def _features(image):
    x = _mixed_5b(_stem(image))
    for block_idx in range(1, 11):  # Inception-ResNet-A
        x = _inception_resnet_block(x, 0.17, "block35", block_idx)
    x = _mixed_6a(x)
    for block_idx in range(1, 21):  # Inception-ResNet-B
        x = _inception_resnet_block(x, 0.1, "block17", block_idx)
    x = _mixed_7a(x)
    for block_idx in range(1, 10):  # Inception-ResNet-C
        x = _inception_resnet_block(x, 0.2, "block8", block_idx)
    x = _inception_resnet_block(x, 1.0, "block8", 10, activation=None)
    return _conv_bn(x, 1536, 1, name="conv_7b")  # 8 x 8 x 1536


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None,
                      input_shape=None, pooling=None, classes=1000,
                      classifier_activation="softmax", name="inception_resnet_v2"):
    """InceptionResNetV2, with Keras's layer names and weight layout.

    Inputs are RGB images preprocessed with
    `kernelkit.applications.inception_resnet_v2.preprocess_input` (scaled to [-1, 1]). A Keras
    weights file of the same architecture loads with `weights=path` or
    `model.load_weights(path)`; `weights="imagenet"` cannot download here.

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
        >>> model = kk.applications.InceptionResNetV2(weights=None, include_top=False,
        ...                                           input_shape=(75, 75, 3))
        >>> model.output_shape
        (None, 1, 1, 1536)
    """
    who = "InceptionResNetV2"
    input_shape = check_image_arguments(who, weights, include_top, classes, WEIGHTS_URL,
                                        input_shape, 299, 75)
    image, inputs = image_input(who, input_tensor, input_shape)
    x = _features(image)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def preprocess_input(x, data_format=None):
    """InceptionResNetV2's preprocessing: Keras's "tf" mode (pixels scaled to [-1, 1]).

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
