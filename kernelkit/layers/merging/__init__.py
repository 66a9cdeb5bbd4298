"""Merging layers: combine a list of tensors (Add, Concatenate, Dot, ...)."""

from kernelkit.layers.merging.add import Add
from kernelkit.layers.merging.average import Average
from kernelkit.layers.merging.concatenate import Concatenate
from kernelkit.layers.merging.dot import Dot
from kernelkit.layers.merging.maximum import Maximum
from kernelkit.layers.merging.merge_functions import (
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kernelkit.layers.merging.minimum import Minimum
from kernelkit.layers.merging.multiply import Multiply
from kernelkit.layers.merging.subtract import Subtract

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply",
           "Subtract", "add", "average", "concatenate", "dot", "maximum", "minimum",
           "multiply", "subtract"]
