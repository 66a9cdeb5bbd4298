"""`kernelkit.backend`: Keras 3's `keras.backend` (settings, `clear_session`, dtype helpers).

Example:
    >>> from kernelkit import backend
    >>> import numpy as np
    >>> backend.backend(), backend.floatx(), backend.standardize_dtype(np.float16)
    ('jax', 'float32', 'float16')
"""

from __future__ import annotations

import gc

from kernelkit import config
from kernelkit.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.naming import reset_names, unique_name
from kernelkit.ops.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype

__all__ = ["backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format",
           "is_float_dtype", "is_int_dtype", "is_keras_tensor", "result_type", "set_epsilon",
           "set_floatx", "set_image_data_format", "standardize_dtype"]


def clear_session(free_memory: bool = True) -> None:
    """Resets kernelkit's global state, as Keras's `clear_session` does.

    Auto-generated names start again (`dense`, `dense_1`, ...), and the session switches go
    back to their defaults: the global dtype policy, interactive logging, traceback filtering,
    flash attention and unsafe deserialization. `floatx`, `epsilon`, the image layout and the
    fit caps are kept, as in Keras.

    Args:
        free_memory: Also run Python's garbage collector.

    Example:
        >>> import kernelkit as kk
        >>> _ = kk.layers.Dense(1, name=None)
        >>> clear_session()
        >>> kk.layers.Dense(1).name
        'dense'
    """
    reset_names()
    config.reset_switches()
    config.set_dtype_policy(None)
    if free_memory:
        gc.collect()


def get_uid(prefix: str = "") -> int:
    """Returns 1, 2, 3, ... on successive calls with one `prefix` (shared with layer names).

    Args:
        prefix: The name prefix to count.

    Returns:
        How many names with this prefix exist now, this one included.

    Example:
        >>> clear_session()
        >>> get_uid("block"), get_uid("block")
        (1, 2)
    """
    name = unique_name(prefix)
    return 1 if name == prefix else int(name.rsplit("_", 1)[1]) + 1


def is_keras_tensor(x) -> bool:
    """True for a symbolic tensor (from `kernelkit.Input` or a layer called on one).

    Args:
        x: Any value.

    Returns:
        Whether `x` is a symbolic tensor (arrays are not).

    Example:
        >>> import numpy as np, kernelkit as kk
        >>> is_keras_tensor(kk.Input((3,))), is_keras_tensor(np.ones(3))
        (True, False)
    """
    return isinstance(x, SymbolicTensor)
