"""`Dot`: the batched dot product of two tensors along chosen axes."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.merging.merge import Merge
from kernelkit.registry import register_builtin

__all__ = ["Dot"]


def _l2_normalize(x, axis):
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * jnp.minimum(jax.lax.rsqrt(square_sum), 1e7)  # Keras: epsilon 1e-7


@register_builtin("keras.layers")
class Dot(Merge):
    """Dot product of two inputs per sample, contracting `axes`.

    Args:
        axes: Integer or pair of integers: the axis of the first and of the second input to
            contract (the batch axis 0 cannot be one of them).
        normalize: Whether to L2-normalize both inputs along `axes` first, which gives the
            cosine similarity.

    Input shape:
        A list of two tensors of rank at least 2 with the same batch size.

    Output shape:
        The first input's shape without its contracted axis, followed by the second's
        without its batch and contracted axes; `(batch, 1)` when nothing else is left.

    Example:
        >>> import jax.numpy as jnp
        >>> Dot(axes=(1, 2))([jnp.ones((2, 3, 5)), jnp.ones((2, 10, 3))]).shape
        (2, 5, 10)
    """

    min_inputs = 2
    max_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, bool) or not isinstance(axes, int | list | tuple):
            raise TypeError(
                f"Dot '{self.name}': invalid type for `axes`. Expected an int or a pair of "
                f"ints. Received: axes={axes!r}."
            )
        if not isinstance(axes, int) and (
                len(axes) != 2 or not all(isinstance(a, int) for a in axes)):
            raise ValueError(
                f"Dot '{self.name}': invalid format for `axes`. Expected two integers, one "
                f"per input. Received: axes={axes!r}."
            )
        self.axes = axes
        self.normalize = normalize

    def _resolve_axes(self, rank1, rank2):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        return [axes[0] % rank1, axes[1] % rank2]

    def build(self, input_shape):
        self._check_input_count(input_shape)
        shape1, shape2 = (tuple(s) for s in input_shape)
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                f"Dot '{self.name}': inputs must have rank at least 2. Expected (batch, ...) "
                f"tensors. Received: shapes {shape1} and {shape2}."
            )
        a1, a2 = self._resolve_axes(len(shape1), len(shape2))
        if 0 in (a1, a2):
            raise ValueError(
                f"Dot '{self.name}': cannot take the dot product over the batch axis 0. "
                f"Expected axes >= 1. Received: axes={self.axes}."
            )
        if shape1[a1] is not None and shape2[a2] is not None and shape1[a1] != shape2[a2]:
            raise ValueError(
                f"Dot '{self.name}': incompatible input shapes. Expected equal sizes on the "
                f"contracted axes. Received: {shape1[a1]} (axis {a1} of {shape1}) != "
                f"{shape2[a2]} (axis {a2} of {shape2})."
            )
        self._reshape_required = False

    def _merge_function(self, inputs, masks):
        x1, x2 = inputs
        a1, a2 = self._resolve_axes(x1.ndim, x2.ndim)
        if self.normalize:
            x1, x2 = _l2_normalize(x1, a1), _l2_normalize(x2, a2)
        out = jax.lax.dot_general(x1, x2, (((a1,), (a2,)), ((0,), (0,))))
        return out[:, None] if out.ndim == 1 else out

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}
