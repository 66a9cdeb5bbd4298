"""`resolve_input_shape`: the image input shape an application model is built for."""

from __future__ import annotations

import warnings

__all__ = ["resolve_input_shape"]


def _square_default(input_shape, default_size, data_format, weights):
    channels = 3
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if data_format == "channels_first" else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(
                f"This model usually expects 1 or 3 input channels. Received: "
                f"input_shape={tuple(input_shape)}.", stacklevel=3)
    if data_format == "channels_first":
        return (channels, default_size, default_size)
    return (default_size, default_size, channels)


def _check_given(who, input_shape, min_size, data_format, weights):
    if len(input_shape) != 3:
        raise ValueError(
            f"{who}: `input_shape` must have three entries (height, width, channels). "
            f"Received: input_shape={tuple(input_shape)}. Pass e.g. input_shape=(224, 224, 3).")
    channels = input_shape[0] if data_format == "channels_first" else input_shape[-1]
    spatial = input_shape[1:] if data_format == "channels_first" else input_shape[:2]
    if channels != 3 and weights == "imagenet":
        raise ValueError(
            f"{who}: ImageNet weights need 3 input channels. Expected 3 channels. "
            f"Received: input_shape={tuple(input_shape)}. Use weights=None for other channels.")
    if any(size is not None and size < min_size for size in spatial):
        raise ValueError(
            f"{who}: the input is too small. Expected height and width of at least "
            f"{min_size}. Received: input_shape={tuple(input_shape)}. Pass a larger input_shape.")


def resolve_input_shape(who, input_shape, default_size, min_size, data_format,
                        require_flatten, weights=None):
    """Checks or fills in the input shape of an image model, as Keras applications do.

    Args:
        who: The model's name, for error messages.
        input_shape: The shape the user gave (without batch), or `None`.
        default_size: The model's default height and width.
        min_size: The smallest height and width the model accepts.
        data_format: `"channels_last"` or `"channels_first"`.
        require_flatten: Whether the model ends in a classifier needing a static shape.
        weights: The `weights` argument of the model.

    Returns:
        The input shape as a tuple of three entries (some may be `None`).

    Raises:
        ValueError: If the shape has the wrong rank, channels or size.

    Example:
        >>> resolve_input_shape("ResNet50", None, 224, 32, "channels_last", False)
        (None, None, 3)
    """
    default_shape = _square_default(input_shape, default_size, data_format, weights)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                f"{who}: with include_top=True and weights='imagenet' the input shape is "
                f"fixed. Expected input_shape={default_shape}. Received: "
                f"input_shape={tuple(input_shape)}. Drop input_shape or set include_top=False.")
        return default_shape
    if input_shape:
        _check_given(who, input_shape, min_size, data_format, weights)
        input_shape = tuple(input_shape)
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if data_format == "channels_first" else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            f"{who}: include_top=True needs a static input shape. Expected no `None` entry. "
            f"Received: input_shape={input_shape}. Give all sizes or set include_top=False.")
    return input_shape


def image_input(who, input_tensor, input_shape):
    """The model's input: a new `Input` of `input_shape`, or the given symbolic tensor.

    Args:
        who: The model's name, for error messages.
        input_tensor: `None` or a symbolic tensor (the output of `kernelkit.Input`).
        input_shape: The resolved input shape.

    Returns:
        `(image, inputs)`: the tensor the network starts from, and the model's inputs
        (the source inputs of `input_tensor` when one is given).

    Raises:
        TypeError: If `input_tensor` is not a symbolic tensor.

    Example:
        >>> image, inputs = image_input("ResNet50", None, (32, 32, 3))
        >>> tuple(image.shape)
        (None, 32, 32, 3)
    """
    from kernelkit.layers import Input
    from kernelkit.layers.source_inputs import get_source_inputs, is_keras_tensor

    if input_tensor is None:
        image = Input(shape=input_shape)
        return image, image
    if not is_keras_tensor(input_tensor):
        raise TypeError(
            f"{who}: `input_tensor` must be a symbolic tensor. Expected the output of "
            f"kernelkit.Input(...) or of a layer called on it. Received: "
            f"input_tensor={type(input_tensor).__name__}. Wrap arrays with kernelkit.Input.")
    return input_tensor, get_source_inputs(input_tensor)
