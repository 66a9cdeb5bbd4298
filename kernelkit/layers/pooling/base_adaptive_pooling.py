"""`AdaptivePooling`: the base of pooling layers whose output size is fixed, not the window."""

from __future__ import annotations

import math

import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format

__all__ = ["AdaptivePooling", "adaptive_bins"]


def adaptive_bins(length: int, size: int) -> list[tuple[int, int]]:
    """The `(start, end)` of each of `size` bins over `length` entries (PyTorch's and Keras's
    rule: bin `i` covers `[floor(i * length / size), ceil((i + 1) * length / size))`).

    Example:
        >>> adaptive_bins(5, 3)
        [(0, 2), (1, 4), (3, 5)]
    """
    return [(i * length // size, math.ceil((i + 1) * length / size)) for i in range(size)]


class AdaptivePooling(Layer):
    """Pools each spatial axis into `output_size` bins with `reduce` (mean or max).

    Subclasses set `rank` and `reduce`, a function `(x, axis) -> x` reducing with keepdims.
    """

    rank = 1
    reduce = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        if isinstance(output_size, int) and not isinstance(output_size, bool):
            output_size = (output_size,) * self.rank
        elif isinstance(output_size, tuple | list):
            if len(output_size) != self.rank:
                raise ValueError(
                    f"{who}: `output_size` must have one entry per spatial axis. Expected an int "
                    f"or a tuple of {self.rank} ints. Received: output_size={output_size!r}."
                )
            output_size = tuple(output_size)
        else:
            raise TypeError(
                f"{who}: `output_size` must be an int or a tuple of {self.rank} ints. "
                f"Received: output_size={output_size!r} of type {type(output_size).__name__}."
            )
        if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0
                   for s in output_size):
            raise ValueError(f"{who}: `output_size` must hold positive integers. Received: "
                             f"output_size={output_size!r}.")
        self.output_size = output_size
        self.data_format = to_data_format(who, data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        first = 1 if self.data_format == "channels_last" else 2
        x = inputs
        for offset, size in enumerate(self.output_size):
            axis = first + offset
            index = [slice(None)] * x.ndim
            pieces = []
            for start, end in adaptive_bins(x.shape[axis], size):
                index[axis] = slice(start, end)
                pieces.append(type(self).reduce(x[tuple(index)], axis))
            x = jnp.concatenate(pieces, axis=axis)
        return x

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}
