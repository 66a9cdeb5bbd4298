"""Normalization layers: batch, layer, group and unit normalization."""

from kernelkit.layers.normalization.batch_normalization import BatchNormalization
from kernelkit.layers.normalization.group_normalization import GroupNormalization
from kernelkit.layers.normalization.layer_normalization import LayerNormalization
from kernelkit.layers.normalization.rms_normalization import RMSNormalization
from kernelkit.layers.normalization.spectral_normalization import SpectralNormalization
from kernelkit.layers.normalization.unit_normalization import UnitNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization",
           "RMSNormalization", "SpectralNormalization", "UnitNormalization"]
