"""Core layers."""

from kernelkit.layers.core.dense import Dense

__all__ = ["Dense"]
