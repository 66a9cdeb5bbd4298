"""Keras's application models (ResNet, MobileNetV2, ...) built from kernelkit layers."""

from kernelkit.applications import imagenet_classes, imagenet_preprocessing, mobilenet_v2, resnet
from kernelkit.applications.mobilenet_v2 import MobileNetV2
from kernelkit.applications.resnet import ResNet50, ResNet101, ResNet152

resnet50 = resnet  # Keras's `keras.applications.resnet50` holds the same three names

__all__ = [
    "MobileNetV2",
    "ResNet101",
    "ResNet152",
    "ResNet50",
    "imagenet_classes",
    "imagenet_preprocessing",
    "mobilenet_v2",
    "resnet",
    "resnet50",
]
