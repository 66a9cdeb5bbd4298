"""`Softmax` layer and `masked_softmax`, the masked softmax Keras's attention layers share."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.errors import describe
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin

__all__ = ["Softmax", "masked_softmax"]


def _large_negative(dtype) -> float:
    return -3e4 if jnp.dtype(dtype) == jnp.float16 else -1e9


def masked_softmax(x, mask=None, axis=-1):
    """Softmax over `axis` (an int or a tuple) with Keras's mask rule.

    Masked positions get a large negative logit before the softmax and exactly 0 after it,
    so a row that is masked everywhere comes out all zeros.

    Example:
        >>> import jax.numpy as jnp
        >>> masked_softmax(jnp.zeros((1, 2)), jnp.array([[True, False]])).tolist()
        [[1.0, 0.0]]
    """
    if mask is not None:
        if mask.dtype != jnp.bool_:
            mask = mask > jnp.asarray(0.5, mask.dtype)
        x = jnp.where(mask, x, jnp.asarray(_large_negative(x.dtype), x.dtype))
    axes = tuple(axis) if isinstance(axis, list | tuple) else (axis,)
    if len(axes) > 1:
        out = jnp.exp(x - jax.nn.logsumexp(x, axis=axes, keepdims=True))
    else:
        out = jax.nn.softmax(x, axis=axes[0])
    if mask is not None:
        out = jnp.where(mask, out, jnp.asarray(0.0, out.dtype))
    return out


@register_builtin("keras.layers")
class Softmax(Layer):
    """Softmax activation layer, with an optional boolean mask.

    Args:
        axis: Integer or tuple of integers, the axis or axes of the normalization.

    Call arguments:
        inputs: The logits.
        mask: Optional boolean tensor broadcastable to `inputs`; `False` positions get
            probability 0 (a float mask is thresholded at 0.5).

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> Softmax()(jnp.zeros((1, 4))).tolist()
        [[0.25, 0.25, 0.25, 0.25]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = jnp.asarray(mask)
            fits = mask.ndim <= inputs.ndim and all(
                m in (1, i) for m, i in zip(mask.shape[::-1], inputs.shape[::-1]))
            if not fits:
                raise ValueError(
                    f"Softmax '{self.name}': the mask does not broadcast to the inputs. "
                    f"Expected a mask of at most rank {inputs.ndim} whose dimensions are 1 or "
                    f"equal to the inputs'. Received: mask={describe(mask)}, "
                    f"inputs={describe(inputs)}. Pass a mask shaped like the inputs."
                )
        return masked_softmax(inputs, mask, self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
