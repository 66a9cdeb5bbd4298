"""`FlaxModule`: any plain `flax.nnx.Module` used as a kernelkit layer."""

from __future__ import annotations

import inspect

from flax import nnx

from kernelkit.layers.layer import Layer

__all__ = ["FlaxModule"]


class FlaxModule(Layer):
    """Wraps a plain `nnx.Module` so that it works in `Sequential` and functional models.

    Its parameters count as the layer's weights; `training` reaches the module as `training`
    or as `deterministic=not training` when its `__call__` takes either.

    Example:
        >>> import jax.numpy as jnp
        >>> from flax import nnx
        >>> layer = FlaxModule(nnx.Linear(3, 2, rngs=nnx.Rngs(0)))
        >>> layer(jnp.ones((4, 3))).shape
        (4, 2)
    """

    def __init__(self, module: nnx.Module, name=None, **kwargs):
        if not isinstance(module, nnx.Module):
            raise TypeError(
                "FlaxModule expects a flax.nnx.Module instance. "
                f"Received: module of type {type(module).__name__}."
            )
        super().__init__(name=name, **kwargs)
        self.module = module
        params = inspect.signature(module.__call__).parameters
        self._passes = "training" if "training" in params else (
            "deterministic" if "deterministic" in params else None)

    def call(self, inputs, training=None):
        if self._passes == "training" and training is not None:
            return self.module(inputs, training=training)
        if self._passes == "deterministic" and training is not None:
            return self.module(inputs, deterministic=not training)
        return self.module(inputs)

    def get_config(self):
        raise NotImplementedError(
            f"FlaxModule '{self.name}' wraps a plain flax module, which has no config. Save its "
            "weights with save_weights(), or write it as a kernelkit Layer to save the model."
        )
