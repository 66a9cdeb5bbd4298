"""Numpy-style ops (`keras.ops.numpy`): every name of Keras's numpy family, by theme.

Each op calls its `jax.numpy` implementation directly on arrays (NumPy, JAX, traced, Python
numbers), with Keras's dtype rules (`kernelkit.ops.dtypes`); on symbolic tensors (from
`kernelkit.Input`) it records an `OpLayer` in the graph instead, so `model.add_loss(
ops.sum(outputs))` and `ops.concatenate([a, b])` work while building a functional model.
The ops live in themed modules (`numpy_creation`, `numpy_math`, `numpy_elementwise`,
`numpy_binary`, `numpy_logic`, `numpy_reductions`, `numpy_shape`, `numpy_products`,
`numpy_search`); all their names are here.

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

from kernelkit.ops import (
    numpy_binary,
    numpy_creation,
    numpy_elementwise,
    numpy_logic,
    numpy_math,
    numpy_products,
    numpy_reductions,
    numpy_search,
    numpy_shape,
)
from kernelkit.ops.numpy_binary import *  # noqa: F403
from kernelkit.ops.numpy_creation import *  # noqa: F403
from kernelkit.ops.numpy_elementwise import *  # noqa: F403
from kernelkit.ops.numpy_logic import *  # noqa: F403
from kernelkit.ops.numpy_math import *  # noqa: F403
from kernelkit.ops.numpy_products import *  # noqa: F403
from kernelkit.ops.numpy_reductions import *  # noqa: F403
from kernelkit.ops.numpy_search import *  # noqa: F403
from kernelkit.ops.numpy_shape import *  # noqa: F403

__all__ = sorted(
    numpy_binary.__all__ + numpy_creation.__all__ + numpy_elementwise.__all__
    + numpy_logic.__all__ + numpy_math.__all__ + numpy_products.__all__ + numpy_reductions.__all__
    + numpy_search.__all__ + numpy_shape.__all__
)
