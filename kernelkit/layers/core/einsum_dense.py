"""`EinsumDense`: a dense layer of any dimensionality, `activation(einsum(eq, x, kernel) + b)`."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.errors import refuse_unsupported
from kernelkit.layers.core.einsum_equation import EinsumEquation
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.registry import register_builtin, serialize
from kernelkit.shapes import to_dims

__all__ = ["EinsumDense"]


@register_builtin("keras.layers")
class EinsumDense(Layer):
    """A layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: Einsum equation `"ab,bc->ac"`, `"...ab,bc->...ac"` or `"ab...,bc->ac..."`;
            the first input axis (or `...`) holds the batch.
        output_shape: The output shape without the batch axis and the axes under `...`; an
            int for one axis. `None` entries are taken from the input.
        activation: Activation name or callable (default: linear).
        bias_axes: Letters of the output spec that get a bias (default: no bias).
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
            Variance-scaling initializers count fans over the kernel's input and output axes.
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank, lora_alpha, gptq_unpacked_column_size, quantization_config: Accepted for
            Keras configs; only `None` is supported.

    Input shape:
        The rank the equation's input spec names (any rank with `...`).

    Output shape:
        The batch axis, `output_shape` and the axes under `...`, in the equation's order.

    Example:
        >>> import jax.numpy as jnp
        >>> EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")(
        ...     jnp.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        who = f"EinsumDense '{self.name}'"
        refuse_unsupported(who, lora_rank=lora_rank, lora_alpha=lora_alpha,
                           gptq_unpacked_column_size=gptq_unpacked_column_size,
                           quantization_config=quantization_config)
        self._equation = EinsumEquation(equation, bias_axes, who)
        self.equation = equation
        self.partial_output_shape = _to_partial_shape(output_shape, who)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = self._equation.shapes(
            input_shape, self.partial_output_shape)
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(
            shape=kernel_shape, name="kernel",
            initializer=_fan_aware(self.kernel_initializer, kernel_shape, input_axes,
                                   output_axes),
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(shape=bias_shape, initializer=self.bias_initializer,
                                        name="bias", regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs):
        x = jnp.einsum(self.equation, inputs, self.kernel[...].astype(self.compute_dtype))
        if self.bias is not None:
            x = x + self.bias[...].astype(x.dtype)
        return self.activation(x)

    def get_config(self):
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": serialize(self.kernel_initializer),
            "bias_initializer": serialize(self.bias_initializer),
            "kernel_regularizer": serialize(self.kernel_regularizer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "activity_regularizer": serialize(self.activity_regularizer),
            "kernel_constraint": serialize(self.kernel_constraint),
            "bias_constraint": serialize(self.bias_constraint),
            "quantization_config": None,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("output_shape"), list):  # JSON turns tuples into lists
            config["output_shape"] = tuple(config["output_shape"])
        return super().from_config(config)


def _to_partial_shape(output_shape, who):
    shape = to_dims(output_shape)
    if shape is None:
        raise ValueError(
            f"{who}: `output_shape` must be a positive integer or a tuple of positive "
            f"integers and None. Received: output_shape={output_shape!r}."
        )
    return shape


def _fan_aware(initializer, shape, input_axes, output_axes):
    """Variance scaling with fans counted over the kernel's input and output axes, as Keras."""
    if (not isinstance(initializer, initializers.VarianceScaling)
            or getattr(initializer, "input_axes", None) is not None
            or getattr(initializer, "output_axes", None) is not None
            or (input_axes == [0] and output_axes == [1])):
        return initializer
    fan_in = math.prod(shape[a] for a in input_axes)
    fan_out = math.prod(shape[a] for a in output_axes)

    def init(_, dtype=None):
        # the entries are i.i.d., so drawing as (fan_in, fan_out) and reshaping keeps the law
        return jnp.reshape(initializer((fan_in, fan_out), dtype=dtype), shape)

    return init
