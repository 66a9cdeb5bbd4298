"""VGG19 (Simonyan and Zisserman, 2014), layer for layer as in Keras."""

from __future__ import annotations

from kernelkit.applications.vgg16 import build_vgg, decode_predictions, preprocess_input

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    """VGG19 (2, 2, 4, 4, 4 convolutions per block), with Keras's layer names and weights.

    Inputs are preprocessed with `kernelkit.applications.vgg19.preprocess_input` ("caffe").

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
        >>> kk.applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3),
        ...                       pooling="avg").output_shape
        (None, 512)
    """
    return build_vgg((2, 2, 4, 4, 4), include_top, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name, "VGG19", WEIGHTS_URL)
