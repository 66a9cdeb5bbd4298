"""ImageNet's input scaling and class names together, as Keras's `applications.imagenet_utils`."""

from kernelkit.applications.imagenet_classes import decode_predictions
from kernelkit.applications.imagenet_preprocessing import preprocess_input

__all__ = ["decode_predictions", "preprocess_input"]
