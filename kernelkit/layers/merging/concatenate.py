"""`Concatenate`: joins a list of tensors along one axis."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Concatenate"]


@register_builtin("keras.layers")
class Concatenate(Merge):
    """Concatenates a list of inputs along `axis`.

    All inputs have the same rank and the same shape except on the concatenation axis. The
    output mask (when any input has one) marks a position valid if it is valid in the input
    it comes from.

    Args:
        axis: The concatenation axis.

    Input shape:
        A list of tensors of equal rank, equal except on `axis`.

    Output shape:
        The common shape, with `axis` the sum of the inputs' sizes.

    Example:
        >>> import jax.numpy as jnp
        >>> Concatenate()([jnp.ones((2, 3)), jnp.ones((2, 4))]).shape
        (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        self._check_input_count(input_shape)
        shapes = [tuple(s) for s in input_shape]
        ranks = {len(s) for s in shapes}
        rank = len(shapes[0])
        fits = len(ranks) == 1 and -rank <= self.axis < rank
        if fits:
            axis = self.axis % rank
            for d in range(rank):
                known = {s[d] for s in shapes if s[d] is not None}
                fits = fits and (d == axis or len(known) <= 1)
        if not fits:
            raise ValueError(
                f"Concatenate '{self.name}': the inputs' shapes do not match except on the "
                f"concatenation axis. Expected equal ranks and equal dimensions outside axis "
                f"{self.axis}. Received: input_shape={shapes}."
            )
        self._reshape_required = False

    def _merge_function(self, inputs, masks):
        return jnp.concatenate(inputs, axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        masks = self._check_masks(inputs, mask)
        if masks is None:
            return None
        full = []
        for x, m in zip(inputs, masks):
            if m is None:
                full.append(jnp.ones(x.shape, bool))
            elif m.ndim < x.ndim:
                full.append(jnp.broadcast_to(jnp.expand_dims(jnp.asarray(m, bool), -1),
                                             x.shape))
            else:
                full.append(jnp.asarray(m, bool))
        return jnp.any(jnp.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
