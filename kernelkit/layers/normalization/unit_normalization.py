"""`UnitNormalization`: scales each sample to unit L2 norm over `axis`."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.layers.normalization.axes_check import check_axes
from kernelkit.registry import register_builtin

__all__ = ["UnitNormalization"]


@register_builtin("keras.layers")
class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over `axis` (which then sums squares to 1).

    Args:
        axis: Integer or list of integers, the axes to normalize over.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> UnitNormalization()(jnp.array([[3.0, 4.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, list | tuple):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                f"UnitNormalization '{self.name}': invalid `axis`. Expected an int or a "
                f"list/tuple of ints. Received: axis={axis!r}."
            )
        self.supports_masking = True

    def build(self, input_shape):
        check_axes(f"UnitNormalization '{self.name}'", self.axis, input_shape, known=False)

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = jnp.sum(jnp.square(inputs), axis=axis, keepdims=True)
        return inputs * jnp.minimum(jax.lax.rsqrt(square_sum), 1e12)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
