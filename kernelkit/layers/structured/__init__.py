"""Structured-data preprocessing layers: category encoding, hashing, crossing, discretization, integer lookup."""

from kernelkit.layers.structured.category_encoding import CategoryEncoding
from kernelkit.layers.structured.discretization import Discretization
from kernelkit.layers.structured.hashed_crossing import HashedCrossing
from kernelkit.layers.structured.hashing import Hashing
from kernelkit.layers.structured.integer_lookup import IntegerLookup

__all__ = ["CategoryEncoding", "Discretization", "HashedCrossing", "Hashing", "IntegerLookup"]
