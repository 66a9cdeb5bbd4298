"""`polar`: complex numbers from magnitudes and angles (`keras.ops.nn.polar`)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.ops.dispatch import keras_op

__all__ = ["polar"]


@keras_op
def polar(abs_, angle):
    """The complex number `abs_ * (cos(angle) + i sin(angle))`, elementwise.

    Args:
        abs_: Tensor of magnitudes.
        angle: Tensor of angles in radians, broadcastable with `abs_`.

    Returns:
        A complex tensor (complex64 for float32 inputs).

    Example:
        >>> import numpy as np
        >>> from kernelkit import ops
        >>> complex(ops.polar(np.array(2.0, "float32"), np.array(0.0, "float32")))
        (2+0j)
    """
    abs_, angle = jnp.asarray(abs_), jnp.asarray(angle)
    real, imag = abs_ * jnp.cos(angle), abs_ * jnp.sin(angle)
    dtype = jnp.result_type(real.dtype, imag.dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = jnp.float32
    return jax.lax.complex(real.astype(dtype), imag.astype(dtype))
