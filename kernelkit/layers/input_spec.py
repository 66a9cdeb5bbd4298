"""`InputSpec`: what a layer accepts, checked on every call with an error naming the layer."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kernelkit.errors import describe

__all__ = ["InputSpec", "build_shape_mismatch", "check_input_spec", "first_refusal"]


class InputSpec:
    """Rank, shape, axis and dtype constraints on one input of a layer (Keras names).

    Example:
        >>> InputSpec(ndim=2, axes={-1: 3})
        InputSpec(ndim=2, axes={-1: 3})
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name, self.optional = name, optional

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                                           ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                                           ("min_ndim", self.min_ndim), ("axes", self.axes or None))
                 if v is not None]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self) -> dict:
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}


def _who(layer) -> str:
    return f"{type(layer).__name__} '{layer.name}'"


def check_input_spec(layer, specs, inputs) -> None:
    """Raises `ValueError` naming `layer` when `inputs` break `specs`."""
    if specs is None:
        return
    specs = specs if isinstance(specs, list | tuple) else [specs]
    flat = inputs if isinstance(inputs, list | tuple) else [inputs]
    if len(specs) > 1 and len(flat) != len(specs):
        raise ValueError(
            f"{_who(layer)} expects {len(specs)} input(s), but received {len(flat)} input "
            f"tensors. Received: inputs={describe(inputs)}."
        )
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or x is None:
            continue
        _check_one(layer, spec, x, i if len(specs) > 1 else None)


def _check_one(layer, spec, x, index) -> None:
    shape = tuple(getattr(x, "shape", ()))
    rank = len(shape)
    which = "inputs" if index is None else f"input {index}"
    got = f"Received: {which}={describe(x)}."
    dtype = getattr(x, "dtype", None)
    if dtype is not None and not (jnp.issubdtype(dtype, jnp.number)
                                  or jnp.issubdtype(dtype, jnp.bool_)):
        raise ValueError(
            f"{_who(layer)} expected numeric {which}, but received dtype {dtype}. {got} "
            "Convert the data to a numeric array first."
        )
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
        raise ValueError(
            f"{_who(layer)} expected {which} of rank {spec.ndim}, but received rank {rank}. "
            f"{got} Reshape the data or change the layer's configuration."
        )
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise ValueError(
            f"{_who(layer)} expected {which} of rank at most {spec.max_ndim}, but received "
            f"rank {rank}. {got}"
        )
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise ValueError(
            f"{_who(layer)} expected {which} of rank at least {spec.min_ndim}, but received "
            f"rank {rank}. {got}"
        )
    for axis, value in spec.axes.items():
        if value is None:
            continue
        if axis >= rank or axis < -rank:
            raise ValueError(f"{_who(layer)} expected {which} with an axis {axis}. {got}")
        if shape[axis] is not None and shape[axis] != value:
            where = "last axis" if axis == -1 else f"axis {axis}"
            raise ValueError(
                f"{_who(layer)} expected {which} whose {where} is {value}, but received "
                f"{which}={describe(x)}. The layer was built for that size; pass data with "
                "matching features or create a new layer."
            )
    if spec.shape is not None:
        for expected, actual in zip(spec.shape, shape):
            if expected is not None and actual is not None and expected != actual:
                raise ValueError(
                    f"{_who(layer)} expected {which} of shape {spec.shape}, but received "
                    f"{which}={describe(x)}."
                )


def first_refusal(layers, inputs) -> str | None:
    """The message of the first of `layers` whose input spec refuses `inputs` (shapes only,
    nothing runs), or None: lets a model's input error name the layer that cannot take the data,
    e.g. `Dense 'hidden'` for a wrong feature width."""
    stand_in = jax.tree_util.tree_map(
        lambda a: jax.ShapeDtypeStruct(tuple(a.shape), a.dtype) if hasattr(a, "shape") else a,
        inputs)
    for layer in layers:
        try:
            check_input_spec(layer, getattr(layer, "input_spec", None), stand_in)
        except ValueError as e:
            return str(e)
    return None


def build_shape_mismatch(layer, inputs) -> ValueError | None:
    """The error to raise when a call failed on inputs unlike the shape the layer was built for.

    A layer built for 5 features and called on 6 fails somewhere inside its computation (a
    matmul, a reshape); this turns that failure into a `ValueError` naming the layer, the
    build shape and the received inputs.

    Args:
        layer: The layer whose call failed.
        inputs: The inputs of the call.

    Returns:
        A `ValueError` to raise, or None when the inputs agree with the build shape (the
        failure has another cause).

    Example:
        >>> from kernelkit.layers import LayerNormalization
        >>> layer = LayerNormalization(name="norm")
        >>> layer.build((None, 5))
        >>> str(build_shape_mismatch(layer, jnp.ones((2, 6))))[:55]
        "LayerNormalization 'norm' was built for inputs of shape"
    """
    built = getattr(layer, "_build_shapes", None)
    if not (isinstance(built, tuple) and all(d is None or isinstance(d, int) for d in built)):
        return None
    shape = tuple(getattr(inputs, "shape", ()))
    if len(shape) != len(built):
        wanted = f"rank {len(built)}"
    elif built and built[-1] is not None and len(built) > 1 and shape[-1] != built[-1]:
        wanted = f"a last axis of size {built[-1]}"  # other axes (time, space) may vary
    else:
        return None
    return ValueError(
        f"{type(layer).__name__} '{layer.name}' was built for inputs of shape {built}, but "
        f"received inputs={describe(inputs)}. Expected {wanted}. Pass inputs "
        "shaped like the build shape, or create a new layer for the new shape."
    )
