"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al., 2022), layer for layer as in Keras."""

from __future__ import annotations

import numpy as np

from kernelkit import config, layers
from kernelkit.applications.convnext_layers import LayerScale, StochasticDepth
from kernelkit.applications.imagenet_classes import decode_predictions  # Keras's per-module name
from kernelkit.applications.input_shapes import image_input, resolve_input_shape
from kernelkit.applications.pretrained_weights import (
    check_weights_argument,
    load_requested_weights,
    validate_classifier_activation,
)
from kernelkit.models import Functional, Sequential

__all__ = ["ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtSmall", "ConvNeXtTiny", "ConvNeXtXLarge",
           "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
# variant -> (blocks per stage, channels per stage), as Keras's MODEL_CONFIGS
MODEL_CONFIGS = {
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}
DEFAULT_SIZE = 224  # every variant's default image height and width
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


def _layer_norm(name=None):
    return layers.LayerNormalization(epsilon=1e-6, name=name)


def convnext_block(x, projection_dim, drop_path_rate, layer_scale_init_value, name):
    """One ConvNeXt block: 7x7 depthwise conv, LayerNorm, MLP (4x), LayerScale, residual.

    Returns:
        The block's output tensor.
    """
    inputs = x
    x = layers.Conv2D(projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                      name=f"{name}_depthwise_conv")(x)
    x = _layer_norm(f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)  # (b, h, w, 4c)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return layers.Add()([inputs, x])  # Keras's `inputs + x`: an auto-named weightless add


def _downsampling(dims, name):
    """The stem (4x4 patches) and the three 2x2 downsampling layers, as Keras's Sequentials."""
    stem = Sequential([layers.Conv2D(dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
                       _layer_norm(f"{name}_stem_layernorm")], name=f"{name}_stem")
    return [stem] + [
        Sequential([_layer_norm(f"{name}_downsampling_layernorm_{i}"),
                    layers.Conv2D(dims[i + 1], kernel_size=2, strides=2,
                                  name=f"{name}_downsampling_conv_{i}")],
                   name=f"{name}_downsampling_block_{i}")
        for i in range(3)]


def _prestem(x, name):
    """ImageNet's mean and standard deviation (in pixels) as a `Normalization` layer."""
    mean = [m * 255 for m in _IMAGENET_MEAN]
    variance = [(s * 255) ** 2 for s in _IMAGENET_STD]
    return layers.Normalization(mean=mean, variance=variance,
                                name=f"{name}_prestem_normalization")(x)


def _head(x, include_top, pooling, classes, classifier_activation, weights, name, who):
    if include_top:
        validate_classifier_activation(who, classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = _layer_norm(f"{name}_head_layernorm")(x)
        return layers.Dense(classes, activation=classifier_activation,
                            name=f"{name}_head_dense")(x)
    if pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return _layer_norm()(x)  # Keras normalizes the features with or without pooling


def build_convnext(variant, who, include_top, include_preprocessing, weights, input_tensor,
                   input_shape, pooling, classes, classifier_activation, name,
                   drop_path_rate=0.0, layer_scale_init_value=1e-6):
    """The ConvNeXt of `MODEL_CONFIGS[variant]`: pre-stem, four stages of blocks, head.

    Returns:
        The `Functional` model, with the requested weights loaded.

    Raises:
        ValueError: For the `channels_first` data format, `weights="imagenet"`, a missing
            weights file or a bad input shape.
    """
    if config.image_data_format() == "channels_first":
        raise ValueError(
            f"{who}: ConvNeXt supports channels-last images only. Expected "
            f"image_data_format()='channels_last'. Received: image_data_format()="
            f"'channels_first'. Call kernelkit.config.set_image_data_format('channels_last').")
    depths, dims = MODEL_CONFIGS[variant]
    check_weights_argument(who, weights, include_top, classes, WEIGHTS_URL)
    input_shape = resolve_input_shape(who, input_shape, DEFAULT_SIZE, 32, "channels_last",
                                      include_top, weights)
    x, inputs = image_input(who, input_tensor, input_shape)
    if include_preprocessing and input_shape[-1] == 3:
        x = _prestem(x, name)
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    for stage, (downsample, depth) in enumerate(zip(_downsampling(dims, name), depths)):
        x = downsample(x)
        for j in range(depth):
            x = convnext_block(x, dims[stage], rates[sum(depths[:stage]) + j],
                               layer_scale_init_value, name=f"{name}_stage_{stage}_block_{j}")
    x = _head(x, include_top, pooling, classes, classifier_activation, weights, name, who)
    return load_requested_weights(Functional(inputs, x, name=name), weights)


def ConvNeXtTiny(include_top=True, include_preprocessing=True, weights="imagenet",
                 input_tensor=None, input_shape=None, pooling=None, classes=1000,
                 classifier_activation="softmax", name="convnext_tiny"):
    """ConvNeXtTiny (blocks 3, 3, 9, 3; 96 to 768 channels), with Keras's names and layout.

    The model takes RGB pixels in [0, 255]: it normalizes them itself (`preprocess_input` of
    this module is the identity). A Keras weights file of the same architecture loads with
    `weights=path`; `weights="imagenet"` cannot download here. Channels-last images only.

    Args:
        include_top: Whether to end in the `{name}_head_*` classifier (average pooling,
            LayerNorm, Dense).
        include_preprocessing: Whether to start with the ImageNet `Normalization` layer.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` (then a LayerNorm).
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the classifier (`None` for logits).
        name: The model's name, also the prefix of its layer names.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.ConvNeXtTiny(weights=None, include_top=False,
        ...                              input_shape=(32, 32, 3)).output_shape
        (None, 1, 1, 768)
    """
    return build_convnext("tiny", "ConvNeXtTiny", include_top, include_preprocessing, weights,
                          input_tensor, input_shape, pooling, classes, classifier_activation,
                          name)


def ConvNeXtSmall(include_top=True, include_preprocessing=True, weights="imagenet",
                  input_tensor=None, input_shape=None, pooling=None, classes=1000,
                  classifier_activation="softmax", name="convnext_small"):
    """ConvNeXtSmall (blocks 3, 3, 27, 3; 96 to 768 channels), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `{name}_head_*` classifier.
        include_preprocessing: Whether to start with the ImageNet `Normalization` layer.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` (then a LayerNorm).
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the classifier (`None` for logits).
        name: The model's name, also the prefix of its layer names.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.ConvNeXtSmall(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: ConvNeXtSmall: weights='imagenet' needs a download...
    """
    return build_convnext("small", "ConvNeXtSmall", include_top, include_preprocessing, weights,
                          input_tensor, input_shape, pooling, classes, classifier_activation,
                          name)


def ConvNeXtBase(include_top=True, include_preprocessing=True, weights="imagenet",
                 input_tensor=None, input_shape=None, pooling=None, classes=1000,
                 classifier_activation="softmax", name="convnext_base"):
    """ConvNeXtBase (blocks 3, 3, 27, 3; 128 to 1024 channels), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `{name}_head_*` classifier.
        include_preprocessing: Whether to start with the ImageNet `Normalization` layer.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` (then a LayerNorm).
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the classifier (`None` for logits).
        name: The model's name, also the prefix of its layer names.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.ConvNeXtBase(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: ConvNeXtBase: weights='imagenet' needs a download...
    """
    return build_convnext("base", "ConvNeXtBase", include_top, include_preprocessing, weights,
                          input_tensor, input_shape, pooling, classes, classifier_activation,
                          name)


def ConvNeXtLarge(include_top=True, include_preprocessing=True, weights="imagenet",
                  input_tensor=None, input_shape=None, pooling=None, classes=1000,
                  classifier_activation="softmax", name="convnext_large"):
    """ConvNeXtLarge (blocks 3, 3, 27, 3; 192 to 1536 channels), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `{name}_head_*` classifier.
        include_preprocessing: Whether to start with the ImageNet `Normalization` layer.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` (then a LayerNorm).
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the classifier (`None` for logits).
        name: The model's name, also the prefix of its layer names.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.ConvNeXtLarge(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: ConvNeXtLarge: weights='imagenet' needs a download...
    """
    return build_convnext("large", "ConvNeXtLarge", include_top, include_preprocessing, weights,
                          input_tensor, input_shape, pooling, classes, classifier_activation,
                          name)


def ConvNeXtXLarge(include_top=True, include_preprocessing=True, weights="imagenet",
                   input_tensor=None, input_shape=None, pooling=None, classes=1000,
                   classifier_activation="softmax", name="convnext_xlarge"):
    """ConvNeXtXLarge (blocks 3, 3, 27, 3; 256 to 2048 channels), with Keras's names and layout.

    Args:
        include_top: Whether to end in the `{name}_head_*` classifier.
        include_preprocessing: Whether to start with the ImageNet `Normalization` layer.
        weights: `None`, the path of a weights file, or `"imagenet"` (refused: no network).
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Shape without batch; free with `include_top=False` (at least 32x32).
        pooling: With `include_top=False`: `None`, `"avg"` or `"max"` (then a LayerNorm).
        classes: Number of classes of the classifier.
        classifier_activation: Activation of the classifier (`None` for logits).
        name: The model's name, also the prefix of its layer names.

    Returns:
        A `kernelkit.Functional` model.

    Example:
        >>> import kernelkit as kk
        >>> kk.applications.ConvNeXtXLarge(weights="imagenet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: ConvNeXtXLarge: weights='imagenet' needs a download...
    """
    return build_convnext("xlarge", "ConvNeXtXLarge", include_top, include_preprocessing,
                          weights, input_tensor, input_shape, pooling, classes,
                          classifier_activation, name)


def preprocess_input(x, data_format=None):
    """ConvNeXt's preprocessing: none (the model normalizes its inputs), so `x` unchanged.

    Kept for the API of Keras's `applications.convnext` module.

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
