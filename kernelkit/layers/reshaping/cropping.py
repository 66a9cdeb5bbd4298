"""`Cropping1D`, `Cropping2D`: entries removed from the ends of sequences and image borders."""

from __future__ import annotations

from kernelkit.errors import describe
from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_pairs, to_tuple
from kernelkit.layers.symbolic import SymbolicTensor
from kernelkit.registry import register_builtin

__all__ = ["Cropping1D", "Cropping2D"]


class _Cropping(Layer):
    """Shared by the cropping layers: `_pairs()` gives one `(start, end)` pair per axis."""

    data_format = "channels_last"

    def _pairs(self) -> tuple:
        return self.cropping

    def _spatial_axes(self) -> tuple:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + len(self._pairs())))

    def _check_size(self, shape, inputs) -> None:
        for axis, (start, end) in zip(self._spatial_axes(), self._pairs()):
            if shape[axis] is not None and start + end >= shape[axis]:
                raise ValueError(
                    f"{owner_of(self)}: the cropping removes the whole of axis {axis}. Expected "
                    f"start + end < {shape[axis]} on that axis. Received: "
                    f"cropping={self.cropping}, inputs={describe(inputs)}. Crop less or pass "
                    "larger inputs."
                )

    def build(self, input_shape):
        if len(input_shape) == self.input_spec.ndim:
            self._check_size(input_shape, SymbolicTensor(input_shape, self.compute_dtype))

    def call(self, inputs):
        self._check_size(inputs.shape, inputs)
        index = [slice(None)] * inputs.ndim
        for axis, (start, end) in zip(self._spatial_axes(), self._pairs()):
            index[axis] = slice(start, inputs.shape[axis] - end)
        return inputs[tuple(index)]


@register_builtin("keras.layers")
class Cropping1D(_Cropping):
    """Crops the time axis of `(batch, steps, channels)` sequences.

    Args:
        cropping: An int (the same at both ends) or 2 ints `(start, end)`.

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        `(batch, steps - start - end, channels)`.

    Example:
        >>> import jax.numpy as jnp
        >>> Cropping1D((1, 2))(jnp.ones((2, 6, 4))).shape
        (2, 3, 4)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = to_tuple(owner_of(self), cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def _pairs(self) -> tuple:
        return (self.cropping,)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


@register_builtin("keras.layers")
class Cropping2D(_Cropping):
    """Crops the borders of images.

    Args:
        cropping: An int (the same on every side), 2 ints `(symmetric_height,
            symmetric_width)` or 2 pairs `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, cropped_height, cropped_width, channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> Cropping2D(((1, 0), (2, 2)))(jnp.ones((2, 5, 6, 1))).shape
        (2, 4, 2, 1)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.cropping = to_pairs(who, cropping, "cropping")
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=4)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
