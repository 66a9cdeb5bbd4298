"""Layers wrapping other JAX code: JaxLayer (a pure function with its params) and FlaxLayer (a Linen module)."""

from kernelkit.layers.interop.flax_layer import FlaxLayer
from kernelkit.layers.interop.jax_layer import JaxLayer
from kernelkit.layers.interop.unavailable_layers import TFSMLayer, TorchModuleWrapper

__all__ = ["FlaxLayer", "JaxLayer", "TFSMLayer", "TorchModuleWrapper"]
