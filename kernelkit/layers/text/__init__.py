"""Text preprocessing layers: string lookup and text vectorization (string work runs on the host)."""

__all__: list[str] = []
