"""Layers wrapping other JAX code: JaxLayer (a pure function with its params) and FlaxLayer (a Linen module)."""

__all__: list[str] = []
