"""Convolution layers: `Conv1D`-`Conv3D`, transposed, depthwise and separable convolutions."""

from kernelkit.layers.conv.conv import Conv1D, Conv2D, Conv3D
from kernelkit.layers.conv.conv_transpose import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from kernelkit.layers.conv.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from kernelkit.layers.conv.separable_conv import SeparableConv1D, SeparableConv2D

# Keras's long aliases name the same classes.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = [
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
]
