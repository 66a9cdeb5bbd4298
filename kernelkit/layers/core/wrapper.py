"""`Wrapper`: the base of layers that hold and extend one other layer."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Wrapper"]


@register_builtin("keras.layers")
class Wrapper(Layer):
    """Holds one layer, `self.layer`, built with the wrapper; subclasses extend its call.

    The config holds the wrapped layer's serialized form under `"layer"`, as in Keras.

    Args:
        layer: The layer to wrap (a kernelkit `Layer`).
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).

    Raises:
        ValueError: If `layer` is not a kernelkit layer.

    Example:
        >>> import jax.numpy as jnp
        >>> from kernelkit.layers import Dense
        >>> class Doubled(Wrapper):
        ...     def call(self, inputs):
        ...         return 2.0 * self.layer(inputs)
        >>> Doubled(Dense(3, kernel_initializer="ones"))(jnp.ones((1, 2))).tolist()
        [[4.0, 4.0, 4.0]]
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__}: `layer` must be a kernelkit layer. Received: "
                f"layer={layer!r} of type {type(layer).__name__}. Pass a layer instance such "
                "as Dense(4)."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        self.layer._maybe_build(input_shape)

    def call(self, inputs, *args, **kwargs):
        return self.layer(inputs, *args, **kwargs)

    def get_config(self):
        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize(config.pop("layer"), module="keras.layers",
                            custom_objects=custom_objects, where=f"{cls.__name__} layer")
        return cls(layer, **config)
