"""`BaseGlobalPooling`: a reduction over every spatial axis, shared by the global pooling layers."""

from __future__ import annotations

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format

__all__ = ["BaseGlobalPooling"]


class BaseGlobalPooling(Layer):
    """Base of `GlobalMaxPooling*D` and `GlobalAveragePooling*D`; subclasses set `rank`.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Whether to keep the spatial axes, with length 1.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import GlobalMaxPooling2D
        >>> GlobalMaxPooling2D(keepdims=True)(jnp.ones((2, 4, 4, 3))).shape
        (2, 1, 1, 3)
    """

    rank = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = to_data_format(owner_of(self), data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def _spatial_axes(self) -> tuple:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}
