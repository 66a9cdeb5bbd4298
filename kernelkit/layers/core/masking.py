"""`Masking`: masks the timesteps whose features all equal `mask_value`."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Masking"]


@register_builtin("keras.layers")
class Masking(Layer):
    """Masks a sequence, skipping the timesteps whose features all equal `mask_value`.

    A timestep (axis 1) is masked when every value on the last axis equals `mask_value`; its
    outputs are set to zero, and the mask (`True` = kept) goes to every later layer that takes
    a `mask` argument.

    Args:
        mask_value: The value that marks padding (default `0.0`).

    Input shape:
        `(batch, timesteps, features)` (any rank of at least 1).

    Output shape:
        Same as the input; the mask has the input's shape without the last axis.

    Example:
        >>> import jax.numpy as jnp
        >>> x = jnp.array([[[1.0, 2.0], [0.0, 0.0]]])
        >>> Masking().compute_mask(x).tolist()
        [[True, False]]
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config") is not None:
            mask_value = deserialize(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return jnp.any(jnp.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = jnp.any(jnp.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return jnp.where(keep, inputs, jnp.zeros((), inputs.dtype))

    def get_config(self):
        return {**super().get_config(), "mask_value": serialize(self.mask_value)}
