"""`Maximum`: the element-wise maximum of a list of tensors."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.merging.merge import Merge, or_merge
from kernelkit.registry import register_builtin

__all__ = ["Maximum"]


@register_builtin("keras.layers")
class Maximum(Merge):
    """Element-wise maximum of a list of inputs.

    With masks (one per input, shaped like the input without its last axis), a masked entry
    takes the other inputs' value, as in Keras.

    Input shape:
        A list of tensors of broadcast-compatible shapes (same batch size).

    Output shape:
        The broadcast shape of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> Maximum()([jnp.ones((1, 2)), jnp.full((1, 2), 3.0)]).tolist()
        [[3.0, 3.0]]
    """

    def _merge_function(self, inputs, masks):
        return or_merge(jnp.maximum, inputs, masks)
