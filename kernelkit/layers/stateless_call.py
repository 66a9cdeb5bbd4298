"""`stateless_call`: a layer's forward pass as a pure function of its variables' values.

Keras 3's JAX custom-training API: the values of `trainable_variables` and
`non_trainable_variables` go in, the outputs and the new non-trainable values come out, and
the layer itself is never written. The call runs on a copy of the layer made from its NNX
graph (inside the current trace when jitted), so it is pure and jit-able.
"""

from __future__ import annotations

import jax.numpy as jnp
from flax import nnx

from kernelkit.errors import describe
from kernelkit.layers.call_context import collect_losses

__all__ = ["stateless_call"]


def _load(layer, variables, values, what) -> None:
    values = list(values)
    if len(values) != len(variables):
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': stateless_call expected {len(variables)} "
            f"{what} (one per entry of layer.{what}). Received: {what} of length "
            f"{len(values)}. Pass the values of layer.{what}, in that order."
        )
    for variable, value in zip(variables, values):
        value = value.get_value() if isinstance(value, nnx.Variable) else value
        value = jnp.asarray(value, variable.dtype)
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(
                f"{type(layer).__name__} '{layer.name}': stateless_call received a value of "
                f"the wrong shape for {variable.path}. Expected shape {tuple(variable.shape)}. "
                f"Received: value={describe(value)}. Pass arrays shaped like layer.{what}."
            )
        variable.set_value(value)


def stateless_call(layer, trainable_variables, non_trainable_variables, *args,
                   return_losses=False, **kwargs):
    """Calls `layer` with the given variable values, leaving `layer` untouched.

    Args:
        layer: A built layer or model.
        trainable_variables: Values for `layer.trainable_variables`, in that order.
        non_trainable_variables: Values for `layer.non_trainable_variables`, in that order.
        *args: The call's positional arguments (the inputs first).
        return_losses: Whether to also return the losses added during the call.
        **kwargs: The call's keyword arguments (`training=True`, ...).

    Returns:
        `(outputs, non_trainable_variables)`, or `(outputs, non_trainable_variables,
        losses)` with `return_losses=True`; the variables as a list of arrays.

    Raises:
        ValueError: If a list has the wrong length or an array the wrong shape.

    Example:
        >>> import jax
        >>> from kernelkit.layers import Dense
        >>> layer = Dense(2, kernel_initializer="ones")
        >>> layer.build((None, 3))
        >>> out, _ = jax.jit(layer.stateless_call)([jnp.zeros((3, 2)), jnp.ones(2)], [],
        ...                                        jnp.ones((1, 3)))
        >>> out.tolist(), float(layer.kernel.value.sum())
        ([[1.0, 1.0]], 6.0)
    """
    if not layer.built:
        raise RuntimeError(
            f"{type(layer).__name__} '{layer.name}': stateless_call needs a built layer, whose "
            "variables exist. Expected layer.built=True. Received: built=False. Call "
            "layer.build(input_shape) or call the layer on data first."
        )
    graphdef, state = nnx.split(layer)
    copy = nnx.merge(graphdef, state, copy=True)
    _load(copy, copy.trainable_variables, trainable_variables, "trainable_variables")
    _load(copy, copy.non_trainable_variables, non_trainable_variables,
          "non_trainable_variables")
    with collect_losses():
        outputs = copy(*args, **kwargs)
        losses = list(copy.losses) if return_losses else None
    new_values = [v.get_value() for v in copy.non_trainable_variables]
    if return_losses:
        return outputs, new_values, losses
    return outputs, new_values
