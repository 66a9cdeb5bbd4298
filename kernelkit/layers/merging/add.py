"""`Add`: sums a list of tensors element-wise."""

from __future__ import annotations

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Add"]


@register_builtin("keras.layers")
class Add(Merge):
    """Adds a list of inputs element-wise.

    Input shape:
        A list of tensors of broadcast-compatible shapes (same batch size).

    Output shape:
        The broadcast shape of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> Add()([jnp.ones((1, 2)), jnp.full((1, 2), 2.0)]).tolist()
        [[3.0, 3.0]]
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output
