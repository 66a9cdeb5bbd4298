"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding, Cropping, UpSampling."""

from kernelkit.layers.reshaping.cropping import Cropping1D, Cropping2D
from kernelkit.layers.reshaping.cropping_3d import Cropping3D
from kernelkit.layers.reshaping.flatten import Flatten
from kernelkit.layers.reshaping.permute import Permute
from kernelkit.layers.reshaping.repeat_vector import RepeatVector
from kernelkit.layers.reshaping.reshape import Reshape
from kernelkit.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D
from kernelkit.layers.reshaping.up_sampling_3d import UpSampling3D
from kernelkit.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D
from kernelkit.layers.reshaping.zero_padding_3d import ZeroPadding3D

__all__ = [
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Flatten",
    "Permute",
    "RepeatVector",
    "Reshape",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
]
