"""Mixed precision (Keras's `keras.mixed_precision`): global policies and `LossScaleOptimizer`.

`set_global_policy("mixed_bfloat16")` makes new layers keep float32 variables and compute in
bfloat16; `"mixed_float16"` does the same in float16, where `compile` also wraps the optimizer
in a `LossScaleOptimizer` so small gradients do not underflow.

Example:
    >>> import numpy as np, kernelkit as kk
    >>> kk.mixed_precision.set_global_policy("mixed_bfloat16")
    >>> layer = kk.layers.Dense(2)
    >>> layer(np.ones((1, 3), "float32")).dtype, layer.get_weights()[0].dtype
    (dtype(bfloat16), dtype('float32'))
    >>> kk.mixed_precision.set_global_policy("float32")
"""

from kernelkit.dtype_policies import DTypePolicy, dtype_policy, set_dtype_policy
from kernelkit.optimizers import LossScaleOptimizer

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy",
           "set_dtype_policy", "set_global_policy"]
