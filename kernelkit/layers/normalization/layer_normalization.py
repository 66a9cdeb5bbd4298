"""`LayerNormalization`: normalizes each sample over its feature axes."""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp

from kernelkit import constraints, initializers, regularizers
from kernelkit.layers.layer import Layer
from kernelkit.layers.normalization.axes_check import check_axes
from kernelkit.registry import register_builtin, serialize

__all__ = ["LayerNormalization"]


@register_builtin("keras.layers")
class LayerNormalization(Layer):
    """Normalizes each sample to mean 0 and variance 1 over `axis`, then scales and shifts.

    Args:
        axis: Integer or list of integers, the axes to normalize over (usually -1).
        epsilon: Small float added to the variance to avoid dividing by zero.
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        rms_scaling: Deprecated in Keras 3 (kept for compatibility): scales the input by
            `1 / sqrt(variance + epsilon)` and `gamma` only, without centering.
        beta_initializer, gamma_initializer: Initializers of `beta` and `gamma`.
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.

    Input shape:
        Any shape with known sizes on `axis`.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> out = LayerNormalization()(jnp.array([[1.0, 3.0]]))
        >>> [round(v, 3) for v in out[0].tolist()]
        [-1.0, 1.0]
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 rms_scaling=False, **kwargs):
        if rms_scaling:
            warnings.warn(
                "LayerNormalization: `rms_scaling=True` is deprecated (it scales by the "
                "variance, not the root mean square), as in Keras 3.", stacklevel=2)
        super().__init__(**kwargs)
        if isinstance(axis, list | tuple):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(
                f"LayerNormalization '{self.name}': invalid `axis`. Expected an int or a "
                f"list/tuple of ints. Received: axis={axis!r}."
            )
        self.epsilon = epsilon
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        axes = check_axes(f"LayerNormalization '{self.name}'", self.axis, input_shape)
        self.axis = sorted(axes)
        shape = tuple(input_shape[d] for d in self.axis)
        self.gamma = self.add_weight(
            shape=shape, name="gamma", initializer=self.gamma_initializer,
            regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
        ) if self.scale or self.rms_scaling else None
        self.beta = self.add_weight(
            shape=shape, name="beta", initializer=self.beta_initializer,
            regularizer=self.beta_regularizer, constraint=self.beta_constraint,
        ) if self.center and not self.rms_scaling else None

    def call(self, inputs):
        x = inputs.astype(jnp.result_type(inputs.dtype, jnp.float32))
        broadcast = [1] * x.ndim
        for d in self.axis:
            broadcast[d] = x.shape[d]
        gamma = None if self.gamma is None else self.gamma[...].astype(x.dtype).reshape(broadcast)
        beta = None if self.beta is None else self.beta[...].astype(x.dtype).reshape(broadcast)
        variance = jnp.var(x, axis=self.axis, keepdims=True)
        inv = jax.lax.rsqrt(variance + self.epsilon)
        if self.rms_scaling:
            out = x * inv if gamma is None else x * inv * gamma
        else:
            mean = jnp.mean(x, axis=self.axis, keepdims=True)
            if gamma is not None:
                inv = inv * gamma
            res = -mean * inv
            out = x * inv + (res if beta is None else res + beta)
        return out.astype(inputs.dtype).astype(self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": serialize(self.beta_initializer),
            "gamma_initializer": serialize(self.gamma_initializer),
            "beta_regularizer": serialize(self.beta_regularizer),
            "gamma_regularizer": serialize(self.gamma_regularizer),
            "beta_constraint": serialize(self.beta_constraint),
            "gamma_constraint": serialize(self.gamma_constraint),
        }
