"""`RMSNormalization`: inputs divided by their root mean square over `axis`, times a scale."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.layers.normalization.axes_check import check_axes
from kernelkit.registry import register_builtin

__all__ = ["RMSNormalization"]


@register_builtin("keras.layers")
class RMSNormalization(Layer):
    """Root-mean-square normalization: `x * rsqrt(mean(x**2, axis) + epsilon) * scale`.

    Unlike `LayerNormalization` it neither centers the inputs nor adds a bias. The statistics
    are computed in at least float32, and the output has the input's dtype.

    Args:
        axis: Integer or list of integers, the axes to normalize over (and that `scale`
            spans).
        epsilon: Small float added to the mean square for numerical stability.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> out = RMSNormalization()(jnp.array([[3.0, 4.0]]))
        >>> [round(v, 4) for v in out[0].tolist()]
        [0.8485, 1.1314]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if not (isinstance(axis, list | tuple) or (isinstance(axis, int)
                                                    and not isinstance(axis, bool))):
            raise TypeError(
                f"RMSNormalization '{self.name}': invalid `axis`. Expected an int or a "
                f"list/tuple of ints. Received: axis={axis!r}."
            )
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        # Keras keeps the axes as a sorted list once built, and writes them so in its config.
        axes = check_axes(f"RMSNormalization '{self.name}'", self.axis, input_shape)
        self.axis = sorted(axes) if isinstance(self.axis, list | tuple) else axes
        self.scale = self.add_weight(name="scale",
                                     shape=tuple(input_shape[a] for a in self.axis),
                                     initializer="ones")

    def call(self, inputs):
        x = inputs.astype(jnp.result_type(inputs.dtype, jnp.float32))
        mean_square = jnp.mean(jnp.square(x), axis=tuple(self.axis), keepdims=True)
        outputs = x * jax.lax.rsqrt(mean_square + self.epsilon) * self.scale[...].astype(x.dtype)
        return outputs.astype(inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
