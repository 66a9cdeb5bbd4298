"""Preprocessing layers: Rescaling and Normalization."""

from kernelkit.layers.preprocessing.normalization import Normalization
from kernelkit.layers.preprocessing.rescaling import Rescaling

__all__ = ["Normalization", "Rescaling"]
