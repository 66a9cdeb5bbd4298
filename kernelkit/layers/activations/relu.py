"""`ReLU`: rectified linear unit with Keras's optional cap, threshold and negative slope."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["ReLU"]


@register_builtin("keras.layers")
class ReLU(Layer):
    """Rectified linear unit activation layer.

    Computes `x` for `threshold < x < max_value`, `max_value` above the cap and
    `negative_slope * (x - threshold)` at or below the threshold.

    Args:
        max_value: Optional non-negative cap on the output (`None`: no cap).
        negative_slope: Non-negative slope below the threshold.
        threshold: Non-negative value below which the output is damped.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> ReLU(max_value=2.0)(jnp.array([-1.0, 1.0, 3.0])).tolist()
        [0.0, 1.0, 2.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        for arg, value, allow_none in (("max_value", max_value, True),
                                       ("negative_slope", negative_slope, False),
                                       ("threshold", threshold, False)):
            if (value is None and not allow_none) or (value is not None and value < 0.0):
                raise ValueError(
                    f"ReLU '{self.name}': `{arg}` cannot be negative or None. Expected a "
                    f"non-negative float. Received: {arg}={value!r}."
                )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        x, slope, threshold = inputs, self.negative_slope, self.threshold
        if slope != 0.0 and self.max_value is None and threshold == 0.0:
            return jnp.where(x >= 0, x, slope * x)
        negative_part = jnp.maximum(threshold - x, 0) if slope != 0.0 else None
        if threshold != 0.0:
            x = jnp.where(x > jnp.asarray(threshold, x.dtype), x, 0)
        else:
            x = jnp.maximum(x, 0)
        if self.max_value is not None:
            x = jnp.clip(x, jnp.asarray(0.0, x.dtype), jnp.asarray(self.max_value, x.dtype))
        if negative_part is not None:
            x = x - slope * negative_part
        return x

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
