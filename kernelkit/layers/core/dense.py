"""`Dense`: `activation(inputs @ kernel + bias)` on the last axis."""

from __future__ import annotations

import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.errors import refuse_unsupported
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize

__all__ = ["Dense"]


@register_builtin("keras.layers")
class Dense(Layer):
    """Densely connected layer: `activation(dot(inputs, kernel) + bias)`.

    Args:
        units: Dimensionality of the output space.
        activation: Activation name or callable (default: linear).
        use_bias: Whether to add a bias vector.
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank, lora_alpha, quantization_config: Accepted for Keras configs; only `None` is
            supported.

    Input shape:
        `(batch, ..., input_dim)`.

    Output shape:
        `(batch, ..., units)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Dense(4)(jnp.ones((2, 3))).shape
        (2, 4)
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        refuse_unsupported(f"Dense '{self.name}'", lora_rank=lora_rank, lora_alpha=lora_alpha,
                           quantization_config=quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Dense '{self.name}': `units` must be a positive integer. "
                f"Received: units={units!r}."
            )
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense '{self.name}': the last axis of the input must be known to build the "
                f"layer. Received: input_shape={tuple(input_shape)}."
            )
        self.kernel = self.add_weight(shape=(input_dim, self.units),
                                      initializer=self.kernel_initializer, name="kernel",
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                    name="bias", regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        x = jnp.matmul(inputs, self.kernel[...].astype(self.compute_dtype))
        if self.bias is not None:
            x = x + self.bias[...].astype(x.dtype)
        return self.activation(x)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
        }
