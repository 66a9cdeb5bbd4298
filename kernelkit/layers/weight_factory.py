"""`Layer.add_weight`'s work: one initialized, placed `Weight` / `NonTrainableWeight`."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit import initializers, regularizers
from kernelkit.distribution.placement import distribute_variable_value
from kernelkit.errors import describe
from kernelkit.layers.variables import NonTrainableWeight, Weight

__all__ = ["make_weight"]


def make_weight(layer, shape, initializer, dtype, trainable, regularizer, constraint,
                aggregation, overwrite_with_gradient, name):
    """A new weight for `layer` (not yet added to it), as `Layer.add_weight` documents.

    Args:
        layer: The owner; its name prefixes the weight's path, its dtype is the default.
        shape: A shape, or None for a scalar.
        initializer: An initializer or its name; None picks glorot_uniform (zeros for
            non-floats).
        dtype: The dtype, or None for the layer's.
        trainable: Whether gradients update it.
        regularizer: A regularizer or its name, or None.
        constraint: A constraint or its name, or None.
        aggregation: The distribution aggregation (`"none"` records nothing).
        overwrite_with_gradient: Recorded in the weight's metadata when true.
        name: The short name, or None for `variable_<n>`.

    Returns:
        The new `Weight` (trainable) or `NonTrainableWeight`.

    Example:
        >>> import kernelkit as kk
        >>> w = make_weight(kk.layers.Dense(2, name="d"), (3,), "ones", None, True, None,
        ...                 None, "none", False, "scale")
        >>> w.path, w.value.tolist()
        ('d/scale', [1.0, 1.0, 1.0])
    """
    shape = () if shape is None else tuple(int(d) for d in shape)
    dtype = jnp.dtype(dtype or layer.dtype)
    if initializer is None:
        initializer = "glorot_uniform" if jnp.issubdtype(dtype, jnp.floating) else "zeros"
    init = initializers.get(initializer)
    name = name or f"variable_{len(layer._own_weights)}"
    with jax.ensure_compile_time_eval():
        value = jnp.asarray(init(shape, dtype=dtype), dtype=dtype)
    if tuple(value.shape) != shape:
        raise ValueError(
            f"{type(layer).__name__} '{layer.name}': initializer for weight {name!r} returned "
            f"{describe(value)}. Expected shape {shape}."
        )
    meta = {"name": name, "path": f"{layer.name}/{name}"}
    value = distribute_variable_value(value, meta["path"])  # its layout, under a distribution
    if aggregation not in (None, "none"):
        meta["aggregation"] = aggregation
    if overwrite_with_gradient:
        meta["overwrite_with_gradient"] = True
    if regularizer is not None:
        meta["regularizer"] = regularizers.get(regularizer)
    if constraint is not None:
        from kernelkit import constraints

        meta["constraint"] = constraints.get(constraint)
    if trainable:
        return Weight(value, trainable=layer._trainable, **meta)
    return NonTrainableWeight(value, **meta)
