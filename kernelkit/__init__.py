"""kernelkit: the Keras Model API on JAX and Flax NNX, made for notebooks.

Example:
    >>> import kernelkit as kk
    >>> model = kk.Sequential([kk.Input(shape=(4,)), kk.layers.Dense(2)])
    >>> model.count_params()
    10
"""

from kernelkit import (
    activations,
    callbacks,
    config,
    constraints,
    data,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from kernelkit.errors import NotCompiledError
from kernelkit.layers import Input, InputSpec, Layer
from kernelkit.models import Functional, Model, Sequential

__version__ = "0.1.0"

__all__ = [
    "Functional", "Input", "InputSpec", "Layer", "Model", "NotCompiledError", "Sequential",
    "activations", "callbacks", "config", "constraints", "data", "initializers", "layers",
    "losses", "metrics", "models", "optimizers", "regularizers", "utils",
]
