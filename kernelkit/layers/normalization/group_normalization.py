"""`GroupNormalization`: normalizes each sample over groups of channels."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.normalization.axes_check import check_axes
from kernelkit.registry import register_builtin, serialize

__all__ = ["GroupNormalization"]


@register_builtin("keras.layers")
class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each sample within each group.

    `groups=1` is layer normalization over all non-batch axes; `groups=-1` (one group per
    channel) is instance normalization.

    Args:
        groups: Number of groups; must divide the number of channels. `-1`: one per channel.
        axis: The channels axis.
        epsilon: Small float added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        beta_initializer, gamma_initializer: Initializers of `beta` and `gamma`.
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.

    Input shape:
        Any shape with a known channels axis.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> GroupNormalization(groups=2)(jnp.ones((2, 5, 4))).shape
        (2, 5, 4)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or (
                groups <= 0 and groups != -1):
            raise ValueError(
                f"GroupNormalization '{self.name}': invalid `groups`. Expected a positive "
                f"integer, or -1 for instance normalization. Received: groups={groups!r}."
            )
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        check_axes(f"GroupNormalization '{self.name}'", self.axis, input_shape)
        dim = input_shape[self.axis]
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups or dim % self.groups:
            raise ValueError(
                f"GroupNormalization '{self.name}': the number of groups must divide the "
                f"number of channels. Expected a divisor of {dim}. Received: "
                f"groups={self.groups}, input_shape={tuple(input_shape)}."
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        self.gamma = self.add_weight(
            shape=(dim,), name="gamma", initializer=self.gamma_initializer,
            regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
        ) if self.scale else None
        self.beta = self.add_weight(
            shape=(dim,), name="beta", initializer=self.beta_initializer,
            regularizer=self.beta_regularizer, constraint=self.beta_constraint,
        ) if self.center else None

    def call(self, inputs):
        axis = self.axis % inputs.ndim
        channels = inputs.shape[axis]
        # (batch, ..., groups, channels // groups, ...)
        grouped_shape = inputs.shape[:axis] + (self.groups, channels // self.groups) + \
            inputs.shape[axis + 1:]
        x = inputs.reshape(grouped_shape).astype(jnp.result_type(inputs.dtype, jnp.float32))
        reduce = tuple(d for d in range(1, x.ndim) if d != axis)
        mean = jnp.mean(x, axis=reduce, keepdims=True)
        variance = jnp.var(x, axis=reduce, keepdims=True)
        broadcast = [1] * x.ndim
        broadcast[axis], broadcast[axis + 1] = self.groups, channels // self.groups
        inv = jax.lax.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * self.gamma[...].astype(x.dtype).reshape(broadcast)
        res = -mean * inv
        if self.beta is not None:
            res = res + self.beta[...].astype(x.dtype).reshape(broadcast)
        out = (x * inv + res).astype(inputs.dtype)
        return out.reshape(inputs.shape).astype(self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
        }
