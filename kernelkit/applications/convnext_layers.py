"""`LayerScale` and `StochasticDepth`: the two layers Keras defines inside its ConvNeXt module."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import initializers
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.naming import unique_name
from kernelkit.registry import register_builtin

__all__ = ["LayerScale", "StochasticDepth"]

_MODULE = "keras.src.applications.convnext"  # where Keras's configs say these classes live


@register_builtin(_MODULE)
class LayerScale(Layer):
    """Multiplies the inputs by a learned per-channel scale `gamma` (Touvron et al., 2021).

    Args:
        init_values: Initial value of every entry of `gamma` (ConvNeXt uses `1e-6`).
        projection_dim: Number of channels (size of the last input axis).

    Input shape:
        Any shape whose last axis has `projection_dim` entries.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = LayerScale(0.5, 2)
        >>> layer(jnp.ones((1, 2))).tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        # Keras gives this weight no name, so it gets the session-wide `variable`, `variable_1`
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values),
                                     trainable=True, name=unique_name("variable"))

    def call(self, inputs):
        return inputs * self.gamma[...].astype(inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}


@register_builtin(_MODULE)
class StochasticDepth(Layer):
    """Drops a whole residual branch per sample in training, scaling kept ones by `1/(1-rate)`.

    At inference (`training` falsy) the layer is the identity.

    Args:
        drop_path_rate: Probability of dropping the branch, in `[0, 1)`.

    Input shape:
        Any shape with a leading batch axis.

    Output shape:
        Same as the input.

    Example:
        >>> import jax.numpy as jnp
        >>> layer = StochasticDepth(0.5)
        >>> layer(jnp.ones((2, 3))).tolist()
        [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
        >>> sorted(set(layer(jnp.ones((8, 3)), training=True).ravel().tolist())) <= [0.0, 2.0]
        True
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= drop_path_rate < 1:
            raise ValueError(
                f"StochasticDepth '{self.name}': invalid `drop_path_rate`. Expected a float "
                f"in [0, 1). Received: drop_path_rate={drop_path_rate!r}. Pick a smaller rate.")
        self.drop_path_rate = drop_path_rate
        self.seed_stream = seed_stream(None)
        self.built = True

    def call(self, inputs, training=None):
        if not training or not self.drop_path_rate:
            return inputs
        keep_prob = 1.0 - self.drop_path_rate
        shape = (inputs.shape[0],) + (1,) * (inputs.ndim - 1)  # one draw per sample
        keep = jnp.floor(keep_prob + jax.random.uniform(self.seed_stream(), shape))
        return inputs / jnp.asarray(keep_prob, inputs.dtype) * keep.astype(inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}
