"""Image preprocessing and augmentation layers: resizing, cropping, random geometric and colour transforms, mixing."""

from kernelkit.layers.augmentation.center_crop import CenterCrop
from kernelkit.layers.augmentation.random_brightness import RandomBrightness
from kernelkit.layers.augmentation.random_contrast import RandomContrast
from kernelkit.layers.augmentation.random_crop import RandomCrop
from kernelkit.layers.augmentation.random_flip import RandomFlip
from kernelkit.layers.augmentation.random_rotation import RandomRotation
from kernelkit.layers.augmentation.random_translation import RandomTranslation
from kernelkit.layers.augmentation.random_zoom import RandomZoom
from kernelkit.layers.augmentation.resizing import Resizing

__all__ = [
    "CenterCrop",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Resizing",
]
