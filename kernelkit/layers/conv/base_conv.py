"""`BaseConv`: what every convolution layer shares (arguments, input checks, bias, activation)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import activations, constraints, initializers, regularizers
from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec, check_input_spec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_padding, to_tuple
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import serialize

__all__ = ["BaseConv", "effective_size", "positive_int"]

_SPATIAL_AXES = "DHW"


class BaseConv(Layer):
    """Base of the convolution layers; subclasses set `rank` and create their kernels.

    Subclasses implement `_build_kernels(channels, inputs)` (create the kernel weights in Keras's
    order, return the number of output channels) and `_convolve_inputs(inputs)`.

    Args:
        kernel_size: An int or `rank` ints, the size of the convolution window.
        strides: An int or `rank` ints, the stride of the window.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(input / stride)`);
            `Conv1D` also accepts `"causal"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: An int or `rank` ints, the dilation of the kernel.
        activation: Activation name or callable (default: linear).
        use_bias: Whether to add a bias vector.
        bias_initializer, bias_regularizer, bias_constraint: For the bias vector.
        activity_regularizer: Optional regularizer of the outputs.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import Conv2D
        >>> isinstance(Conv2D(4, 3), BaseConv)
        True
    """

    rank = None
    _padding_modes = ("valid", "same")

    _casts_non_float_inputs = True  # bool/int inputs become the compute dtype

    def __init__(self, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, bias_initializer="zeros",
                 bias_regularizer=None, activity_regularizer=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        who = owner_of(self)
        self.kernel_size = to_tuple(who, kernel_size, self.rank, "kernel_size")
        self.strides = to_tuple(who, strides, self.rank, "strides")
        self.padding = to_padding(who, padding, self._padding_modes)
        self.data_format = to_data_format(who, data_format)
        self.dilation_rate = to_tuple(who, dilation_rate, self.rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    # ---- shapes -------------------------------------------------------------------------------

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _spatial_shape(self, shape) -> tuple:
        return tuple(shape[1:-1]) if self.data_format == "channels_last" else tuple(shape[2:])

    def _check_no_stride_with_dilation(self) -> None:
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner_of(self)}: `strides` > 1 cannot be combined with `dilation_rate` > 1. "
                f"Received: strides={self.strides}, dilation_rate={self.dilation_rate}. "
                "Set one of them to 1."
            )

    def _check_spatial_size(self, shape, inputs) -> None:
        """Raises when a `"valid"` convolution would give an empty output."""
        if self.padding != "valid":
            return
        effective = tuple(map(effective_size, self.kernel_size, self.dilation_rate))
        for size, needed in zip(self._spatial_shape(shape), effective):
            if size is not None and size < needed:
                raise ValueError(
                    f"{owner_of(self)}: the input is too small for the kernel. Expected every "
                    f"spatial dimension to be at least the dilated kernel size {effective} with "
                    f"padding='valid'. Received: inputs={describe(inputs)}. Pass larger inputs, "
                    "use a smaller kernel_size or dilation_rate, or use padding='same'."
                )

    # ---- build and call -----------------------------------------------------------------------

    def build(self, input_shape):
        stand_in = SymbolicTensor(input_shape, self.compute_dtype)
        check_input_spec(self, self.input_spec, stand_in)
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{owner_of(self)}: the channel axis of the input must be known to build the "
                f"layer. Expected an int at axis {self._channel_axis} "
                f"(data_format={self.data_format!r}). Received: inputs={describe(stand_in)}."
            )
        self._check_spatial_size(input_shape, stand_in)
        out_channels = self._build_kernels(channels, stand_in)
        self.bias = self.add_weight(shape=(out_channels,), initializer=self.bias_initializer,
                                    name="bias", regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def _build_kernels(self, channels, inputs) -> int:
        raise NotImplementedError

    def _convolve_inputs(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        self._check_spatial_size(inputs.shape, inputs)
        if not jnp.issubdtype(inputs.dtype, jnp.floating):  # integer images, as Keras does
            inputs = inputs.astype(self.compute_dtype)
        outputs = self._convolve_inputs(inputs)
        if self.bias is not None:
            bias = self.bias[...].astype(outputs.dtype)
            if self.data_format == "channels_first":
                bias = bias.reshape((-1,) + (1,) * self.rank)
            outputs = outputs + bias
        return self.activation(outputs)

    def _dimension_numbers(self) -> tuple[str, str, str]:
        spatial = _SPATIAL_AXES[-self.rank:]
        lhs = f"N{spatial}C" if self.data_format == "channels_last" else f"NC{spatial}"
        return lhs, f"{spatial}IO", lhs

    def _convolve(self, inputs, kernel, strides, padding, groups=1):
        """`jax.lax.conv_general_dilated` in this layer's data format, kernel `(*k, in, out)`."""
        return jax.lax.conv_general_dilated(
            inputs, kernel.astype(self.compute_dtype), window_strides=strides, padding=padding,
            rhs_dilation=self.dilation_rate, dimension_numbers=self._dimension_numbers(),
            feature_group_count=groups)

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": serialize(self.bias_initializer),
            "bias_regularizer": serialize(self.bias_regularizer),
            "activity_regularizer": serialize(self.activity_regularizer),
            "bias_constraint": serialize(self.bias_constraint),
        }


def positive_int(owner: str, value, name: str) -> int:
    """Returns `value` when it is a positive int, else raises a `ValueError` naming `owner`."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{owner}: `{name}` must be a positive integer. Received: {name}={value!r}."
        )
    return value


def effective_size(kernel_size: int, dilation: int) -> int:
    """The extent of a dilated kernel: `(k - 1) * d + 1`."""
    return (kernel_size - 1) * dilation + 1

