"""Keras's application models (ResNet, DenseNet, MobileNetV2, VGG, ...) built from kernelkit layers."""

from kernelkit.applications import (
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet,
    imagenet_classes,
    imagenet_preprocessing,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from kernelkit.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
)
from kernelkit.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from kernelkit.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from kernelkit.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from kernelkit.applications.inception_resnet_v2 import InceptionResNetV2
from kernelkit.applications.inception_v3 import InceptionV3
from kernelkit.applications.mobilenet import MobileNet
from kernelkit.applications.mobilenet_v2 import MobileNetV2
from kernelkit.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from kernelkit.applications.nasnet import NASNetLarge, NASNetMobile
from kernelkit.applications.resnet import ResNet50, ResNet101, ResNet152
from kernelkit.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from kernelkit.applications.vgg16 import VGG16
from kernelkit.applications.vgg19 import VGG19
from kernelkit.applications.xception import Xception

imagenet_utils = imagenet  # Keras's name for the module holding the two ImageNet functions
resnet50 = resnet  # Keras's `keras.applications.resnet50` holds the same three names

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "NASNetLarge",
    "NASNetMobile",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "ResNet50",
    "ResNet50V2",
    "VGG16",
    "VGG19",
    "Xception",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet",
    "imagenet_classes",
    "imagenet_preprocessing",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
