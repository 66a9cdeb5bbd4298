"""`FlaxLayer`: a Flax Linen module (`flax.linen.Module`) and its variables as a layer."""

from __future__ import annotations

import inspect

from kernelkit.layers.interop.jax_layer import JaxLayer
from kernelkit.registry import deserialize, register_builtin, serialize

__all__ = ["FlaxLayer"]


def _split_variables(variables):
    """`(params, state)`: the `"params"` collection apart from the others (Keras's split)."""
    if variables is None:
        return None, None
    if "params" not in variables:
        return {}, dict(variables)
    if len(variables) == 1:
        return dict(variables), {}
    return ({"params": variables["params"]},
            {k: v for k, v in variables.items() if k != "params"})


def _join_variables(params, state):
    return {**(params or {}), **(state or {})}


def _make_functions(module, method, takes_training):
    """`call_fn` and `init_fn` in `JaxLayer`'s form around `module.apply` / `module.init`."""
    from flax.linen import DenyList

    mutable = DenyList(["params"])  # every other collection (batch_stats, ...) is state
    if takes_training:
        def call_fn(params, state, rng, inputs, training):
            return module.apply(_join_variables(params, state), inputs, rngs=rng,
                                method=method, mutable=mutable, training=training)

        def init_fn(rng, inputs, training):
            return _split_variables(module.init(rng, inputs, method=method,
                                                training=training))
    else:
        def call_fn(params, state, rng, inputs):
            return module.apply(_join_variables(params, state), inputs, rngs=rng,
                                method=method, mutable=mutable)

        def init_fn(rng, inputs):
            return _split_variables(module.init(rng, inputs, method=method))
    return call_fn, init_fn


@register_builtin("keras.layers")
class FlaxLayer(JaxLayer):
    """Wraps a Flax Linen module: its `"params"` train, its other collections are state.

    The module's variables are created at build time by `module.init` (keys `"params"` and
    `"dropout"`), unless `variables` are given; `call` runs `module.apply`, passing a
    `"dropout"` key and `training` (when the method takes it) in training. Mutated
    collections such as `batch_stats` are written back into non-trainable weights. For a
    Flax NNX module, use `kernelkit.layers.FlaxModule` instead.

    Saving a model with a `FlaxLayer` to `.keras` requires the module to be registered with
    `kernelkit.utils.register_keras_serializable` and to have a `get_config()`; weights
    files need nothing.

    Args:
        module: A `flax.linen.Module` instance.
        method: Optional method of the module to call instead of `__call__` (a callable or
            its name).
        variables: Optional variables (`{"params": ..., "batch_stats": ...}`) to start from.
        **kwargs: Base layer arguments (`name`, `dtype`, `seed`, ...).

    Input shape:
        Whatever the module accepts.

    Output shape:
        Whatever the module returns.

    Example:
        >>> import jax.numpy as jnp
        >>> import flax.linen as nn
        >>> layer = FlaxLayer(nn.Dense(2))
        >>> layer(jnp.ones((4, 3))).shape, [w.shape for w in layer.get_weights()]
        ((4, 2), [(2,), (3, 2)])
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        import flax.linen

        if not isinstance(module, flax.linen.Module):
            raise TypeError(
                f"FlaxLayer: `module` must be a flax.linen.Module. Received: module of type "
                f"{type(module).__name__}. Wrap a flax.nnx.Module with "
                "kernelkit.layers.FlaxModule instead."
            )
        if isinstance(method, str):
            method = getattr(module, method)
        self.module, self.method = module, method
        takes_training = "training" in inspect.signature(method or module.__call__).parameters
        call_fn, init_fn = _make_functions(module, method, takes_training)
        params, state = _split_variables(variables)
        super().__init__(call_fn=call_fn, init_fn=init_fn, params=params, state=state,
                         **kwargs)

    def _init_rng(self):
        return {"params": super()._init_rng(), "dropout": super()._init_rng()}

    def _call_rng(self, training):
        return {"dropout": super()._call_rng(True)} if training else {}

    def get_config(self):
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__  # a bound method is written by name
        config = super().get_config()
        del config["call_fn"], config["init_fn"]  # they are made from the module
        config["module"] = serialize(self.module)
        config["method"] = serialize(method)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("call_fn", None)
        config.pop("init_fn", None)
        config["module"] = deserialize(config["module"], where="FlaxLayer module")
        if config.get("method") is not None and not isinstance(config["method"], str):
            config["method"] = deserialize(config["method"], where="FlaxLayer method")
        return cls(**config)
