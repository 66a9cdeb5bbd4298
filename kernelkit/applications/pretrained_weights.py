"""The `weights=` argument of application models: checks, local files, no downloads."""

from __future__ import annotations

import os

from kernelkit import activations

__all__ = ["check_weights_argument", "load_requested_weights", "validate_classifier_activation"]


def check_weights_argument(who, weights, include_top, classes, url):
    """Refuses a `weights` value that cannot be honoured, before the model is built.

    Args:
        who: The model's name, for error messages.
        weights: `None`, `"imagenet"` or the path of a weights file.
        include_top: Whether the model ends in the classifier.
        classes: The number of classes of the classifier.
        url: Where Keras downloads the `"imagenet"` weights from.

    Raises:
        ValueError: If `weights` is `"imagenet"` (there is no network to download it from),
            a missing path, or `classes` does not fit the pretrained classifier.

    Example:
        >>> check_weights_argument("ResNet50", None, True, 1000, "https://example.org/w.h5")
    """
    if weights is None:
        return
    if weights == "imagenet":
        if include_top and classes != 1000:
            raise ValueError(
                f"{who}: the ImageNet classifier has 1000 classes. Expected classes=1000. "
                f"Received: classes={classes}. Use weights=None to train other classes.")
        raise ValueError(
            f"{who}: weights='imagenet' needs a download, and no network is available here. "
            f"Expected None or the path of a local weights file. Received: weights='imagenet'. "
            f"Download {url} elsewhere, then pass weights='/path/to/file.h5' or build with "
            f"weights=None and call model.load_weights('/path/to/file.h5').")
    if not (isinstance(weights, (str, os.PathLike)) and os.path.exists(weights)):
        raise ValueError(
            f"{who}: the weights file does not exist. Expected None, 'imagenet' or the path "
            f"of a weights file. Received: weights={weights!r}. Check the path.")


def load_requested_weights(model, weights):
    """Loads a local weights file into the freshly built model (nothing when `None`).

    Args:
        model: The application model.
        weights: `None` or the path checked by `check_weights_argument`.

    Returns:
        The model.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input(shape=(2,)), kk.layers.Dense(1)])
        >>> load_requested_weights(model, None) is model
        True
    """
    if weights is not None:
        model.load_weights(os.fspath(weights))
    return model


def validate_classifier_activation(who, classifier_activation, weights):
    """Pretrained classifiers take only `None` or `"softmax"`, as in Keras.

    Args:
        who: The model's name, for error messages.
        classifier_activation: The activation of the `predictions` layer.
        weights: The `weights` argument of the model.

    Raises:
        ValueError: If weights are loaded and the activation is another one.

    Example:
        >>> validate_classifier_activation("ResNet50", "softmax", "/tmp/w.h5")
    """
    if weights is None:
        return
    allowed = {activations.get("softmax"), activations.get(None)}
    if activations.get(classifier_activation) not in allowed:
        raise ValueError(
            f"{who}: pretrained weights fit a softmax classifier only. Expected "
            f"classifier_activation=None or 'softmax'. Received: "
            f"classifier_activation={classifier_activation!r}. Use one of those two.")
