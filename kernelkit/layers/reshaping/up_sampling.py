"""`UpSampling1D`, `UpSampling2D`: sequences and images enlarged by repetition or interpolation."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.layers.input_spec import InputSpec
from kernelkit.layers.layer import Layer
from kernelkit.layers.spatial_arguments import owner_of, to_data_format, to_tuple
from kernelkit.registry import register_builtin

__all__ = ["UpSampling1D", "UpSampling2D"]

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5")


@register_builtin("keras.layers")
class UpSampling1D(Layer):
    """Repeats every time step `size` times.

    Args:
        size: Positive int, the upsampling factor.

    Input shape:
        `(batch, steps, features)`.

    Output shape:
        `(batch, steps * size, features)`.

    Example:
        >>> import jax.numpy as jnp
        >>> UpSampling1D(3)(jnp.array([[[1.0], [2.0]]]))[0, :, 0].tolist()
        [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(
                f"{owner_of(self)}: `size` must be an integer. "
                f"Received: size={size!r} of type {type(size).__name__}."
            )
        self.size = to_tuple(owner_of(self), size, 1, "size")[0]
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return jnp.repeat(inputs, self.size, axis=1)

    def get_config(self):
        return {**super().get_config(), "size": self.size}


@register_builtin("keras.layers")
class UpSampling2D(Layer):
    """Enlarges images by integer factors, repeating pixels or interpolating.

    Args:
        size: An int or 2 ints, the height and width factors.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        interpolation: `"nearest"` (repeat pixels), `"bilinear"`, `"bicubic"`, `"lanczos3"`
            or `"lanczos5"` (as `jax.image.resize`, without antialiasing).

    Input shape:
        `(batch, height, width, channels)`, or `(batch, channels, height, width)`.

    Output shape:
        `(batch, height * size[0], width * size[1], channels)`, or channels first.

    Example:
        >>> import jax.numpy as jnp
        >>> UpSampling2D((2, 3), interpolation="bilinear")(jnp.ones((1, 2, 2, 3))).shape
        (1, 4, 6, 3)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        who = owner_of(self)
        self.size = to_tuple(who, size, 2, "size")
        self.data_format = to_data_format(who, data_format)
        method = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if method not in _INTERPOLATIONS:
            raise ValueError(
                f"{who}: unknown `interpolation`. Expected one of {_INTERPOLATIONS}. "
                f"Received: interpolation={interpolation!r}."
            )
        self.interpolation = method
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        first = 1 if self.data_format == "channels_last" else 2
        if self.interpolation == "nearest":
            x = jnp.repeat(inputs, self.size[0], axis=first)
            return jnp.repeat(x, self.size[1], axis=first + 1)
        shape = list(inputs.shape)
        shape[first] *= self.size[0]
        shape[first + 1] *= self.size[1]
        return jax.image.resize(inputs, tuple(shape), method=self.interpolation,
                                antialias=False)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}
