"""`kernelkit.ops`: every op of Keras 3's `keras.ops`, on arrays and on symbolic tensors.

Each family is a module of its own, as in Keras (`ops.numpy`, `ops.nn`, `ops.linalg`,
`ops.image`, plus `ops.math` and `ops.core`); all their names are also here at the top level.
On arrays (NumPy, JAX, traced) each op calls its `jax.numpy`/`jax.lax` implementation directly;
on symbolic tensors (from `kernelkit.Input`) it records an `OpLayer` in the graph, with the
output shape and dtype from `jax.eval_shape`.

Example:
    >>> import numpy as np
    >>> from kernelkit import ops
    >>> float(ops.sum(np.ones((2, 3))))
    6.0
    >>> import kernelkit as kk
    >>> x = kk.Input(shape=(3,))
    >>> ops.mean(ops.square(x), axis=-1).shape
    (None,)
"""

from kernelkit.ops import core, image, linalg, math, nn, numpy
from kernelkit.ops.core import *  # noqa: F403
from kernelkit.ops.image import *  # noqa: F403
from kernelkit.ops.linalg import *  # noqa: F403
from kernelkit.ops.math import *  # noqa: F403
from kernelkit.ops.nn import *  # noqa: F403
from kernelkit.ops.numpy import *  # noqa: F403

# Keras exposes the families as submodules and flattens all their names into `keras.ops`.
__all__ = sorted(set(core.__all__ + image.__all__ + linalg.__all__ + math.__all__ + nn.__all__ + numpy.__all__))
