"""Random state for resumable checkpoints: the model's RNG stream variables and the global
generator of `kernelkit.random`, written to and read from a weights file."""

from __future__ import annotations

import json

import jax
import numpy as np
from flax import nnx

from kernelkit.random import get_generator_state, set_generator_state
from kernelkit.saving.weights_h5 import read_store, write_store

__all__ = ["read_rng_state", "rng_variables", "write_rng_state"]

_PATH = "kernelkit_rng"


def rng_variables(model) -> list:
    """The model's RNG stream variables (keys and counters), in graph order."""
    seen, out = set(), []
    for _, value in nnx.iter_graph(model):
        if isinstance(value, nnx.RngState) and id(value) not in seen:
            seen.add(id(value))
            out.append(value)
    return out


def _raw(value):
    value = value[...]
    if jax.dtypes.issubdtype(value.dtype, jax.dtypes.prng_key):
        return np.asarray(jax.random.key_data(value))
    return np.asarray(value)


def write_rng_state(handle, model) -> None:
    """Writes the stream variables and the global generator state into `handle`."""
    write_store(handle, _PATH, None, [_raw(v) for v in rng_variables(model)])
    handle[f"{_PATH}/vars"].attrs["generator"] = json.dumps(get_generator_state())


def read_rng_state(handle, model) -> bool:
    """Restores what `write_rng_state` wrote; False (nothing changed) when it does not fit."""
    arrays = read_store(handle, _PATH)
    variables = rng_variables(model)
    if arrays is None or len(arrays) != len(variables):
        return False
    new = []
    for variable, raw in zip(variables, arrays):
        current = variable[...]
        if jax.dtypes.issubdtype(current.dtype, jax.dtypes.prng_key):
            value = jax.random.wrap_key_data(raw, impl=jax.random.key_impl(current))
        else:
            value = jax.numpy.asarray(raw, current.dtype)
        if value.shape != current.shape:
            return False
        new.append(value)
    for variable, value in zip(variables, new):
        variable[...] = value
    generator = handle[f"{_PATH}/vars"].attrs.get("generator")
    if generator is not None:
        set_generator_state(json.loads(generator))
    return True
