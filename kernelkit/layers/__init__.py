"""Keras layers on Flax NNX: the `Layer` base, `Input`, and the layer library."""

from kernelkit.layers.core.dense import Dense
from kernelkit.layers.flax_module import FlaxModule
from kernelkit.layers.input_layer import Input, InputLayer
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer

__all__ = sorted([
    "Dense", "FlaxModule", "Input", "InputLayer", "InputSpec", "Layer",
])
