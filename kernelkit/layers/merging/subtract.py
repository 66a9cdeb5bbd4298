"""`Subtract`: the difference of exactly two tensors."""

from __future__ import annotations

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Subtract"]


@register_builtin("keras.layers")
class Subtract(Merge):
    """Subtracts the second input from the first, element-wise.

    Input shape:
        A list of tensors of broadcast-compatible shapes (same batch size).

    Output shape:
        The broadcast shape of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> Subtract()([jnp.ones((1, 2)), jnp.full((1, 2), 3.0)]).tolist()
        [[-2.0, -2.0]]
    """

    min_inputs = 2
    max_inputs = 2

    def _merge_function(self, inputs, masks):
        return inputs[0] - inputs[1]
