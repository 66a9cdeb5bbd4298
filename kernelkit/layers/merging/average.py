"""`Average`: averages a list of tensors element-wise."""

from __future__ import annotations

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Average"]


@register_builtin("keras.layers")
class Average(Merge):
    """Averages a list of inputs element-wise.

    Input shape:
        A list of tensors of broadcast-compatible shapes (same batch size).

    Output shape:
        The broadcast shape of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> Average()([jnp.ones((1, 2)), jnp.full((1, 2), 3.0)]).tolist()
        [[2.0, 2.0]]
    """

    def _merge_function(self, inputs, masks):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / len(inputs)
