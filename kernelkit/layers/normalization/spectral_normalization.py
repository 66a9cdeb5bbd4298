"""`SpectralNormalization`: a wrapper dividing a layer's kernel by its largest singular value."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import initializers
from kernelkit.layers.core.wrapper import Wrapper
from kernelkit.layers.input_spec import InputSpec
from kernelkit.registry import register_builtin

__all__ = ["SpectralNormalization"]

_EPSILON = 1e-7


def _l2_normalize(x):
    return x * jnp.minimum(jax.lax.rsqrt(jnp.sum(jnp.square(x))), 1.0 / _EPSILON)


@register_builtin("keras.layers")
class SpectralNormalization(Wrapper):
    """Spectral normalization (Miyato et al., 2018) of the wrapped layer's `kernel`.

    In training, `power_iterations` steps of the power method refine the estimate
    `vector_u` of the kernel's leading singular vector (a non-trainable weight of shape
    `(1, kernel.shape[-1])`, as Keras keeps it), and the kernel is replaced by
    `kernel / sigma` before the wrapped layer runs; an all-zero kernel is left alone. At
    inference the wrapped layer runs on its kernel as it is.

    Args:
        layer: A layer with a `kernel` (or `embeddings`) weight, such as `Dense` or `Conv2D`.
        power_iterations: Number of power-method steps per training call.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        That of the wrapped layer.

    Output shape:
        That of the wrapped layer.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import Dense
        >>> layer = SpectralNormalization(Dense(3))
        >>> layer(jnp.ones((2, 4)), training=True).shape
        (2, 3)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(power_iterations, int) or power_iterations <= 0:
            raise ValueError(
                f"SpectralNormalization '{self.name}': `power_iterations` must be a positive "
                f"integer. Received: power_iterations={power_iterations!r}."
            )
        self.power_iterations = power_iterations

    @property
    def kernel(self):
        """The wrapped layer's `kernel` (or `embeddings`) weight."""
        kernel = getattr(self.layer, "kernel", None)
        return self.layer.embeddings if kernel is None else kernel

    @property
    def weights(self) -> list:
        """Keras's order: the kernel (which Keras also tracks as the wrapper's own weight),
        `vector_u`, then the wrapped layer's other weights."""
        if not self.built:
            return super().weights
        own = self.keras_own_variables()
        return own + [w for w in self.layer.weights if w is not self.kernel]

    def keras_own_variables(self) -> list:
        """The variables Keras saves under this layer itself: `kernel`, then `vector_u`."""
        return [self.kernel, self.vector_u]

    def build(self, input_shape):
        super().build(input_shape)
        if getattr(self.layer, "kernel", None) is None and \
                getattr(self.layer, "embeddings", None) is None:
            raise ValueError(
                f"SpectralNormalization '{self.name}': the wrapped layer has no `kernel` nor "
                f"`embeddings` weight. Received: layer={type(self.layer).__name__} "
                f"'{self.layer.name}'. Wrap a layer such as Dense, Conv2D or Embedding."
            )
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        self.vector_u = self.add_weight(
            shape=(1, self.kernel.shape[-1]), name="vector_u", trainable=False,
            initializer=initializers.TruncatedNormal(stddev=0.02), dtype=self.kernel.dtype)

    def normalized_weights(self):
        """`(new_vector_u, kernel / sigma)` after `power_iterations` power-method steps."""
        kernel = self.kernel[...]
        weights = kernel.reshape(-1, kernel.shape[-1])  # (fan_in, units)
        vector_u = self.vector_u[...]
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(vector_u @ weights.T)
            vector_u = _l2_normalize(vector_v @ weights)
        vector_u = jax.lax.stop_gradient(vector_u)
        vector_v = jax.lax.stop_gradient(vector_v)
        sigma = vector_v @ weights @ vector_u.T  # (1, 1)
        return vector_u.astype(self.vector_u.dtype), (kernel / sigma).astype(kernel.dtype)

    def call(self, inputs, training=None):
        if training:
            kernel = self.kernel
            new_u, new_kernel = jax.lax.cond(
                jnp.all(kernel[...] == 0), lambda: (self.vector_u[...], kernel[...]),
                self.normalized_weights)
            self.vector_u[...] = new_u
            kernel[...] = new_kernel
        return self.layer(inputs).astype(inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
