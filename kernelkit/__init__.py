"""kernelkit: the Keras Model API on JAX and Flax NNX, made for notebooks.

Example:
    >>> import kernelkit as kk
    >>> model = kk.Sequential([kk.Input(shape=(4,)), kk.layers.Dense(2)])
    >>> model.count_params()
    10
"""

from kernelkit.compilation_cache import enable_on_first_compile as _enable_cache

_enable_cache()  # changes no JAX setting now: the cache is switched on at the first compile

from kernelkit import (  # noqa: E402
    activations,
    applications,
    backend,
    callbacks,
    config,
    constraints,
    data,
    distribution,
    dtype_policies,
    export,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    preprocessing,
    random,
    regularizers,
    tree,
    utils,
    visualization,
)
from kernelkit.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: E402
from kernelkit.errors import NotCompiledError  # noqa: E402
from kernelkit.initializers import Initializer  # noqa: E402
from kernelkit.layers import Input, InputSpec, Layer  # noqa: E402
from kernelkit.losses import Loss  # noqa: E402
from kernelkit.metrics import Metric  # noqa: E402
from kernelkit.models import Functional, Model, Sequential  # noqa: E402
from kernelkit.optimizers import Optimizer  # noqa: E402
from kernelkit.regularizers import Regularizer  # noqa: E402
from kernelkit.variables import Variable  # noqa: E402

__version__ = "0.1.0"


def version() -> str:
    """The kernelkit version string, as `keras.version()` gives Keras's.

    Example:
        >>> import kernelkit as kk
        >>> kk.version() == kk.__version__
        True
    """
    return __version__


__all__ = [
    "DTypePolicy", "FloatDTypePolicy", "Functional", "Initializer", "Input", "InputSpec",
    "Layer", "Loss", "Metric", "Model", "NotCompiledError", "Optimizer", "Regularizer",
    "Sequential", "Variable", "activations", "applications", "backend", "callbacks", "config",
    "constraints", "data", "distribution", "dtype_policies", "export", "initializers", "layers",
    "losses", "metrics", "mixed_precision", "models", "ops", "optimizers", "preprocessing",
    "random", "regularizers", "tree", "utils", "version", "visualization",
]
