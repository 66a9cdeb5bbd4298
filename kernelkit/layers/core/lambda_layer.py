"""`Lambda`: wraps an arbitrary function of the inputs as a layer."""

from __future__ import annotations

import inspect

import jax

from kernelkit.layers.core.function_config import function_from_config, function_to_config
from kernelkit.layers.layer import Layer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic
from kernelkit.registry import deserialize, register_builtin, serialize
from kernelkit.shapes import is_shape

__all__ = ["Lambda"]


@register_builtin("keras.layers")
class Lambda(Layer):
    """Wraps a function `function(inputs, **arguments)` as a layer without weights.

    Prefer a named function to a Python lambda: a lambda is saved as bytecode, which loading
    refuses unless `safe_mode=False`.

    Args:
        function: The function to apply; it may take `mask` and `training` keyword arguments.
        output_shape: Optional output shape without the batch axis (or a function of the
            input shape). Inferred by tracing `function` when omitted.
        mask: Optional output mask: a function `(inputs, mask) -> mask` or a fixed value.
        arguments: Optional dict of extra keyword arguments for `function`.

    Input shape:
        Any.

    Output shape:
        `output_shape` (with the batch axis) or what `function` returns.

    Example:
        >>> import jax.numpy as jnp
        >>> def double(x):
        ...     return 2 * x
        >>> Lambda(double)(jnp.ones((2, 3))).tolist()[0]
        [2.0, 2.0, 2.0]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda '{self.name}': `function` must be callable. Received: "
                f"function={function!r} of type {type(function).__name__}. Pass a function."
            )
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(
                f"Lambda '{self.name}': `arguments` must be a dict of keyword arguments. "
                f"Received: arguments={arguments!r}."
            )
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):  # some builtins have no signature
            params = {}
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        first = args[0] if args else None
        shapes = jax.tree_util.tree_map(lambda t: t.shape, first, is_leaf=is_symbolic)
        out = self.compute_output_shape(shapes)
        return jax.tree_util.tree_map(lambda s: SymbolicTensor(s, self.compute_dtype), out,
                                      is_leaf=is_shape)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = jax.tree_util.tree_leaves(input_shape, is_leaf=is_shape)[0][0]
        return jax.tree_util.tree_map(lambda s: (batch, *s), self._output_shape,
                                      is_leaf=is_shape)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        who = f"Lambda '{self.name}'"
        config = {"function": function_to_config(self.function, who)}
        if self._output_shape is not None:
            config["output_shape"] = (
                function_to_config(self._output_shape, who, "output_shape")
                if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = (function_to_config(self.mask, who, "mask") if callable(self.mask)
                              else serialize(self.mask))
        config["arguments"] = serialize(self.arguments)
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Creates the layer from `get_config()`; bytecode lambdas need `safe_mode=False`."""
        config = dict(config)
        who = f"Lambda.from_config ({config.get('name', 'lambda')!r})"
        for key in ("function", "output_shape", "mask"):
            if key in config and isinstance(config[key], dict):
                config[key] = function_from_config(config[key], who, custom_objects, safe_mode)
        if isinstance(config.get("output_shape"), list) and all(
                d is None or isinstance(d, int) for d in config["output_shape"]):
            config["output_shape"] = tuple(config["output_shape"])
        if isinstance(config.get("arguments"), dict):
            config["arguments"] = {
                k: deserialize(v, custom_objects=custom_objects)
                if isinstance(v, dict) and "class_name" in v else v
                for k, v in config["arguments"].items()}
        return super().from_config(config)
