"""`Pipeline`: applies a list of preprocessing layers one after the other."""

from __future__ import annotations

from kernelkit.layers.layer import Layer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["Pipeline"]


@register_builtin("keras.layers")
class Pipeline(Layer):
    """Chains layers like a small `Sequential`, passing `training` to each (default True).

    Unlike `Sequential` it is not a model: it is meant for preprocessing and augmentation
    stacks, e.g. inside a data pipeline or at the start of a model.

    Args:
        layers: The layers, applied in order.
        name: Optional name of the layer.

    Input shape:
        Whatever the first layer takes.

    Output shape:
        Whatever the last layer returns.

    Example:
        >>> import numpy as np
        >>> from kernelkit.layers import CenterCrop, RandomFlip
        >>> pipeline = Pipeline([RandomFlip(seed=0), CenterCrop(2, 2)])
        >>> pipeline(np.ones((1, 4, 4, 3))).shape
        (1, 2, 2, 3)
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = list(layers)
        self.built = True

    @property
    def layers(self) -> list:
        """The layers of the pipeline, in order."""
        return self._pipeline_layers

    def call(self, inputs, training=True):
        for layer in self._pipeline_layers:
            inputs = layer(inputs, training=training)
        return inputs

    def get_config(self):
        return {"layers": [serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, list | tuple):
            raise ValueError(
                "Pipeline.from_config: the config has no list of layers. Expected a 'layers' "
                f"key holding serialized layers. Received: layers={layers!r}."
            )
        return cls([deserialize(x, module="keras.layers") for x in layers],
                   name=config.get("name"))
