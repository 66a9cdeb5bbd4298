"""Core layers."""

from kernelkit.layers.core.activation import Activation
from kernelkit.layers.core.dense import Dense
from kernelkit.layers.core.einsum_dense import EinsumDense
from kernelkit.layers.core.embedding import Embedding
from kernelkit.layers.core.identity import Identity
from kernelkit.layers.core.lambda_layer import Lambda
from kernelkit.layers.core.masking import Masking
from kernelkit.layers.core.reversible_embedding import ReversibleEmbedding
from kernelkit.layers.core.wrapper import Wrapper

__all__ = ["Activation", "Dense", "EinsumDense", "Embedding", "Identity", "Lambda", "Masking",
           "ReversibleEmbedding", "Wrapper"]
