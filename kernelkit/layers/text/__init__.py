"""Text preprocessing layers: string lookup and text vectorization (string work runs on the host)."""

from kernelkit.layers.text.string_lookup import StringLookup
from kernelkit.layers.text.text_vectorization import TextVectorization

__all__ = ["StringLookup", "TextVectorization"]
