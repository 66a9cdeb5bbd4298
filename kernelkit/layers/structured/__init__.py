"""Structured-data preprocessing layers: category encoding, hashing, crossing, discretization, integer lookup."""

__all__: list[str] = []
