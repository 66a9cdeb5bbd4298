"""`ELU`: exponential linear unit, `x` for positive inputs, `alpha * (exp(x) - 1)` otherwise."""

from __future__ import annotations

import jax

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["ELU"]


@register_builtin("keras.layers")
class ELU(Layer):
    """Exponential linear unit activation layer.

    Args:
        alpha: Scale of the negative part.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> ELU()(jnp.array([0.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return jax.nn.elu(inputs, self.alpha)

    def get_config(self):
        # Keras 3 leaves `alpha` out of the config (so it is lost on reload); it is kept here.
        return {**super().get_config(), "alpha": self.alpha}
