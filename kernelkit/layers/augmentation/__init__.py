"""Image preprocessing and augmentation layers: resizing, cropping, random geometric and colour transforms, mixing."""

from kernelkit.layers.augmentation.aug_mix import AugMix
from kernelkit.layers.augmentation.auto_contrast import AutoContrast
from kernelkit.layers.augmentation.center_crop import CenterCrop
from kernelkit.layers.augmentation.clahe import ContrastLimitedAdaptiveHistogramEqualization
from kernelkit.layers.augmentation.cut_mix import CutMix
from kernelkit.layers.augmentation.equalization import Equalization
from kernelkit.layers.augmentation.max_num_bounding_boxes import MaxNumBoundingBoxes
from kernelkit.layers.augmentation.mix_up import MixUp
from kernelkit.layers.augmentation.pipeline import Pipeline
from kernelkit.layers.augmentation.rand_augment import RandAugment
from kernelkit.layers.augmentation.random_brightness import RandomBrightness
from kernelkit.layers.augmentation.random_color_degeneration import RandomColorDegeneration
from kernelkit.layers.augmentation.random_color_jitter import RandomColorJitter
from kernelkit.layers.augmentation.random_contrast import RandomContrast
from kernelkit.layers.augmentation.random_crop import RandomCrop
from kernelkit.layers.augmentation.random_elastic_transform import RandomElasticTransform
from kernelkit.layers.augmentation.random_erasing import RandomErasing
from kernelkit.layers.augmentation.random_flip import RandomFlip
from kernelkit.layers.augmentation.random_gaussian_blur import RandomGaussianBlur
from kernelkit.layers.augmentation.random_grayscale import RandomGrayscale
from kernelkit.layers.augmentation.random_hue import RandomHue
from kernelkit.layers.augmentation.random_invert import RandomInvert
from kernelkit.layers.augmentation.random_perspective import RandomPerspective
from kernelkit.layers.augmentation.random_posterization import RandomPosterization
from kernelkit.layers.augmentation.random_rotation import RandomRotation
from kernelkit.layers.augmentation.random_saturation import RandomSaturation
from kernelkit.layers.augmentation.random_sharpness import RandomSharpness
from kernelkit.layers.augmentation.random_shear import RandomShear
from kernelkit.layers.augmentation.random_translation import RandomTranslation
from kernelkit.layers.augmentation.random_zoom import RandomZoom
from kernelkit.layers.augmentation.resizing import Resizing
from kernelkit.layers.augmentation.solarization import Solarization

__all__ = [
    "AugMix",
    "AutoContrast",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Equalization",
    "MaxNumBoundingBoxes",
    "MixUp",
    "Pipeline",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Resizing",
    "Solarization",
]
