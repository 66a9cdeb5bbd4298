"""`Multiply`: the element-wise product of a list of tensors."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Multiply"]


@register_builtin("keras.layers")
class Multiply(Merge):
    """Multiplies a list of inputs element-wise.

    With masks, masked entries count as 1 in the product; when every input has a mask, the
    positions masked in all inputs come out 0, as in Keras.

    Input shape:
        A list of tensors of broadcast-compatible shapes (same batch size).

    Output shape:
        The broadcast shape of the inputs.

    Example:
        >>> import jax.numpy as jnp
        >>> Multiply()([jnp.full((1, 2), 2.0), jnp.full((1, 2), 3.0)]).tolist()
        [[6.0, 6.0]]
    """

    def _merge_function(self, inputs, masks):
        masks = masks or [None] * len(inputs)
        all_masked = all(m is not None for m in masks)
        output, output_mask = None, None
        for x, mask in zip(inputs, masks):
            if mask is not None:
                mask = jnp.broadcast_to(jnp.expand_dims(jnp.asarray(mask, bool), -1), x.shape)
                x = jnp.where(mask, x, jnp.asarray(1, x.dtype))
                if all_masked:
                    output_mask = mask if output_mask is None else output_mask | mask
            output = x if output is None else output * x
        if all_masked:
            output = jnp.where(output_mask, output, jnp.asarray(0, output.dtype))
        return output
