"""`PReLU`: leaky ReLU whose negative slope `alpha` is a learned weight."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize

__all__ = ["PReLU"]


@register_builtin("keras.layers")
class PReLU(Layer):
    """Parametric rectified linear unit: `max(x, 0) - alpha * max(-x, 0)`.

    Args:
        alpha_initializer: Initializer of the weight `alpha` (default zeros).
        alpha_regularizer: Optional regularizer of `alpha`.
        alpha_constraint: Optional constraint on `alpha`.
        shared_axes: Axes (counting the batch axis as 0) along which `alpha` is shared,
            e.g. `[1, 2]` for one slope per channel of `(batch, height, width, channels)`.

    Input shape:
        Any shape with a batch axis; the non-shared axes must be known.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> PReLU()(jnp.array([[-1.0, 2.0]])).tolist()
        [[0.0, 2.0]]
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, list | tuple):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]
        for axis in self.shared_axes or []:
            if not isinstance(axis, int) or axis < 1:
                raise ValueError(
                    f"PReLU '{self.name}': `shared_axes` must hold positive axis indices (axis "
                    f"0 is the batch). Expected integers >= 1. Received: "
                    f"shared_axes={shared_axes!r}."
                )

    def build(self, input_shape):
        rank = len(input_shape)
        if any(axis >= rank for axis in self.shared_axes or []):
            raise ValueError(
                f"PReLU '{self.name}': `shared_axes` names an axis the input does not have. "
                f"Expected axes below {rank}. Received: shared_axes={self.shared_axes}, "
                f"input_shape={tuple(input_shape)}."
            )
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(
                f"PReLU '{self.name}': every non-shared axis must be known to create `alpha`. "
                f"Expected known dimensions. Received: input_shape={tuple(input_shape)}. Share "
                "the unknown axes with `shared_axes`."
            )
        self.alpha = self.add_weight(shape=shape, name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {i: input_shape[i] for i in range(1, rank) if i not in (self.shared_axes or [])}
        self.input_spec = InputSpec(ndim=rank, axes=axes)

    def call(self, inputs):
        alpha = self.alpha[...].astype(self.compute_dtype)
        return jnp.maximum(inputs, 0) - alpha * jnp.maximum(-inputs, 0)

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": serialize(self.alpha_initializer),
            "alpha_regularizer": serialize(self.alpha_regularizer),
            "alpha_constraint": serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
