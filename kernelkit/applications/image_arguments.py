"""`check_image_arguments`: the `weights` and input-shape checks, in the order Keras runs them."""

from __future__ import annotations

from kernelkit import config
from kernelkit.applications.input_shapes import resolve_input_shape
from kernelkit.applications.pretrained_weights import check_weights_argument

__all__ = ["check_image_arguments"]


def check_image_arguments(who, weights, include_top, classes, url, input_shape, default_size,
                          min_size):
    """Checks `weights` and `classes`, then resolves the input shape, then refuses a download.

    Keras checks a path and the classes of a pretrained classifier first, the input shape
    second, and downloads last: so a bad shape is reported before the missing network.

    Args:
        who: The model's name, for error messages.
        weights: `None`, `"imagenet"` or the path of a weights file.
        include_top: Whether the model ends in the classifier.
        classes: The number of classes of the classifier.
        url: Where Keras downloads the `"imagenet"` weights from.
        input_shape: The shape the user gave (without batch), or `None`.
        default_size: The model's default height and width.
        min_size: The smallest height and width the model accepts.

    Returns:
        The input shape as a tuple of three entries.

    Raises:
        ValueError: For a missing weights file, a bad `classes` or input shape, or
            `weights="imagenet"` (no network).

    Example:
        >>> check_image_arguments("Xception", None, False, 1000, "", None, 299, 71)
        (None, None, 3)
    """
    if weights != "imagenet" or (include_top and classes != 1000):
        check_weights_argument(who, weights, include_top, classes, url)
    input_shape = resolve_input_shape(who, input_shape, default_size, min_size,
                                      config.image_data_format(), include_top, weights)
    check_weights_argument(who, weights, include_top, classes, url)
    return input_shape
