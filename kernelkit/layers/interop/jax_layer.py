"""`JaxLayer`: a pure JAX function `call_fn(params, inputs, ...)` and its parameters as a layer."""

from __future__ import annotations

import inspect

import jax
import jax.numpy as jnp
import numpy as np

from kernelkit.layers.core.function_config import function_from_config, function_to_config
from kernelkit.layers.layer import Layer
from kernelkit.layers.seed_stream import seed_stream
from kernelkit.random import draw_seed
from kernelkit.registry import register_builtin
from kernelkit.shapes import is_shape

__all__ = ["JaxLayer"]

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


@register_builtin("keras.layers")
class JaxLayer(Layer):
    """Wraps a JAX model given as pure functions; its parameters become the layer's weights.

    `call_fn` takes, by these exact names, `params` (trainable parameters, optional),
    `state` (non-trainable state, optional), `rng` (a `jax.random.PRNGKey`, optional: a
    fresh key in training, `None` at inference), `inputs` (required: an array or a pytree)
    and `training` (optional). With a `state` argument it returns `(outputs, new_state)`,
    and the new state is written back into the layer's non-trainable weights.

    `init_fn(rng, inputs[, training])` returns the initial `params` (or `(params, state)`
    when `call_fn` takes a `state`); it runs once at build time on placeholder inputs of the
    right shape (unknown sizes become 1). Alternatively pass `params` / `state` directly.
    Array leaves of `params` become trainable weights (in `jax.tree_util` order), array
    leaves of `state` non-trainable ones; other leaves stay as they are. The weights train
    with `fit()` and are saved in `.weights.h5` and `.keras` files like any layer's.

    Args:
        call_fn: The model function, as above.
        init_fn: The initialization function, as above; needed unless `params` or `state`
            is given.
        params: Optional pytree of initial trainable parameters.
        state: Optional pytree of initial non-trainable state.
        seed: Seed of the keys passed as `rng` in training.
        native_serialization_platforms: Accepted for Keras compatibility (it only matters to
            Keras's TensorFlow backend).

    Input shape:
        Whatever `call_fn` accepts.

    Output shape:
        Whatever `call_fn` returns.

    Example:
        >>> import jax
        >>> import jax.numpy as jnp
        >>> def init_fn(rng, inputs):
        ...     return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)), "b": jnp.zeros(2)}
        >>> def call_fn(params, inputs):
        ...     return inputs @ params["w"] + params["b"]
        >>> layer = JaxLayer(call_fn, init_fn)
        >>> layer(jnp.ones((4, 3))).shape, [w.shape for w in layer.get_weights()]
        ((4, 2), [(2,), (3, 2)])
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(**kwargs)
        self.call_fn, self.init_fn = call_fn, init_fn
        self.seed = seed
        self.native_serialization_platforms = native_serialization_platforms
        self.call_fn_arguments = self._checked_signature(call_fn, "call_fn", _CALL_ARGUMENTS)
        self.init_fn_arguments = None if init_fn is None else self._checked_signature(
            init_fn, "init_fn", _INIT_ARGUMENTS)
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        if "rng" in self.call_fn_arguments:
            self.seed_stream = seed_stream(seed)
        needs_values = self.call_fn_has_params or self.call_fn_has_state
        if init_fn is None and params is None and state is None and needs_values:
            raise ValueError(
                f"{self._who()}: `init_fn`, `params` and `state` cannot all be None when "
                "`call_fn` takes a `params` or `state` argument. Expected an init_fn or "
                "initial values. Received: init_fn=None, params=None, state=None. Pass "
                "init_fn=... (called at build time) or params=..."
            )
        self._params_layout = self._state_layout = None
        if params is not None or state is not None:
            self._params_layout = self._create_weights(params, trainable=True)
            self._state_layout = self._create_weights(state, trainable=False)
            self.built = True

    def _who(self) -> str:
        return f"{type(self).__name__} '{self.name}'"

    def _checked_signature(self, fn, fn_name, allowed):
        if not callable(fn):
            raise TypeError(f"{self._who()}: `{fn_name}` must be callable. Received: "
                            f"{fn_name}={fn!r} of type {type(fn).__name__}.")
        names = list(inspect.signature(fn).parameters)
        unknown = [n for n in names if n not in allowed]
        if "inputs" not in names or unknown:
            what = f"unsupported argument `{unknown[0]}`" if unknown else \
                "no `inputs` argument"
            raise ValueError(
                f"{self._who()}: `{fn_name}` has {what}. Expected arguments named among "
                f"{allowed}, including `inputs`. Received: {fn_name} arguments {names}. "
                "Wrap the function in one with these argument names."
            )
        return names

    # ---- weights ------------------------------------------------------------------------------

    def _create_weights(self, values, trainable):
        """Weights for the array leaves of `values`; returns the static layout to rebuild it."""
        leaves, treedef = jax.tree_util.tree_flatten(values)
        template = []
        for leaf in leaves:
            if isinstance(leaf, jax.Array | np.ndarray | np.generic | bool | int | float):
                value = jnp.asarray(leaf)
                floating = jnp.issubdtype(value.dtype, jnp.floating)
                count = len(self._own_weights)  # Keras's names: variable, variable_1, ...
                self.add_weight(
                    shape=value.shape, dtype=None if floating else value.dtype,
                    name="variable" if count == 0 else f"variable_{count}",
                    initializer=lambda shape, dtype=None, v=value: v.astype(dtype or v.dtype),
                    trainable=trainable)
                template.append(len(self._own_weights) - 1)
            else:
                template.append(("static", leaf))
        return treedef, tuple(template)

    def _rebuild(self, layout, read):
        if layout is None:
            return None
        treedef, template = layout
        leaves = [item[1] if isinstance(item, tuple) else read(self._own_weights[item])
                  for item in template]
        return jax.tree_util.tree_unflatten(treedef, leaves)

    @property
    def params(self):
        """The trainable parameters: the pytree given or initialized, of weights."""
        return self._rebuild(self._params_layout, lambda w: w)

    @property
    def state(self):
        """The non-trainable state: the pytree given or initialized, of weights."""
        return self._rebuild(self._state_layout, lambda w: w)

    def _init_rng(self):
        return jax.random.PRNGKey(draw_seed())

    def _call_rng(self, training):
        return jax.random.key_data(self.seed_stream()) if training else None

    def build(self, input_shape):
        if self._params_layout is not None or not (
                self.call_fn_has_params or self.call_fn_has_state):
            return
        inputs = jax.tree_util.tree_map(
            lambda shape: jnp.ones(tuple(1 if d is None else d for d in shape)), input_shape,
            is_leaf=is_shape)
        values = {"rng": self._init_rng(), "inputs": inputs, "training": True}
        result = self.init_fn(*[values[n] for n in self.init_fn_arguments])
        params, state = result if self.call_fn_has_state else (result, None)
        self._params_layout = self._create_weights(params, trainable=True)
        self._state_layout = self._create_weights(state, trainable=False)

    # ---- call ---------------------------------------------------------------------------------

    def call(self, inputs, training=None):
        training = bool(training)
        read = lambda w: w[...]  # noqa: E731
        values = {"params": self._rebuild(self._params_layout, read),
                  "state": self._rebuild(self._state_layout, read), "inputs": inputs,
                  "training": training}
        if "rng" in self.call_fn_arguments:
            values["rng"] = self._call_rng(training)
        result = self.call_fn(*[values[n] for n in self.call_fn_arguments])
        if not self.call_fn_has_state:
            return result
        outputs, new_state = result
        self._write_state(new_state)
        return outputs

    def _write_state(self, new_state):
        treedef, template = self._state_layout
        slots = [item for item in template if not isinstance(item, tuple)]
        new_leaves = [leaf for leaf, item in zip(jax.tree_util.tree_leaves(new_state), template)
                      if not isinstance(item, tuple)]
        if jax.tree_util.tree_structure(new_state) != treedef or len(new_leaves) != len(slots):
            raise ValueError(
                f"{self._who()}: the state returned by `call_fn` does not have the structure "
                f"of the initial state. Expected {treedef}. Received: "
                f"{jax.tree_util.tree_structure(new_state)}. Return `(outputs, new_state)` "
                "with new_state shaped like the state."
            )
        for index, value in zip(slots, new_leaves):
            weight = self._own_weights[index]
            weight[...] = jnp.asarray(value).astype(weight.dtype)

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        who = self._who()
        return {
            **super().get_config(),
            "call_fn": function_to_config(self.call_fn, who, "call_fn"),
            "init_fn": None if self.init_fn is None else function_to_config(
                self.init_fn, who, "init_fn"),
            "native_serialization_platforms": self.native_serialization_platforms,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("call_fn", "init_fn"):
            if config.get(key) is not None:
                config[key] = function_from_config(config[key], f"{cls.__name__} config")
        return super().from_config(config)
