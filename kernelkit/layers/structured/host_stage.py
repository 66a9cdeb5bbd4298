"""The host stage of a model: its leading host layers, run on NumPy data before the device part.

A model that starts with string layers (`Input(dtype="string")` then `TextVectorization`)
cannot run them inside `jax.jit`. `host_stage_data(model, x)` runs them on the data instead,
once for arrays in memory (they are deterministic) and batch by batch for generators; the
compiled step then receives their outputs, and inside it the same layers pass data through.
"""

from __future__ import annotations

import jax
import numpy as np

from kernelkit.layers.structured.host_layer import host_stage_done, is_string_array

__all__ = ["HostStage", "host_stage_data", "host_stage_done", "host_stage_of",
           "host_stage_validation"]


class HostStage:
    """For each model input (by position), the chain of host layers that consume it first.

    Example:
        >>> HostStage([[]], names=["x"]).active
        False
    """

    def __init__(self, chains, names, shapes=None):
        self.chains, self.names = chains, names
        self.shapes = shapes or [None] * len(chains)
        self.active = any(chains)

    def _run(self, chain, x, shape=None):
        if isinstance(x, jax.core.Tracer):
            return x  # inside the compiled step: the data came through the host stage
        x = _adjust_rank(x, shape)
        if not is_string_array(x) and getattr(chain[0], "takes_strings", False):
            return x  # TextVectorization/StringLookup take strings: numbers are their outputs
        for layer in chain:
            x = layer(x)
        return np.asarray(x) if not is_string_array(x) else x

    def apply(self, x):
        """`x` with each input that feeds host layers replaced by their output."""
        n = len(self.chains)
        if isinstance(x, dict):
            return {k: (self._run(self.chains[i], v, self.shapes[i])
                        if (i := self._index(k)) is not None and self.chains[i] else v)
                    for k, v in x.items()}
        if n > 1 and isinstance(x, list | tuple):
            return type(x)(self._run(c, v, s) if c else v
                           for c, v, s in zip(self.chains, x, self.shapes))
        if n == 1 and isinstance(x, list | tuple) and len(x) == 1 and not is_string_array(x):
            return [self._run(self.chains[0], x[0], self.shapes[0])]
        return self._run(self.chains[0], x, self.shapes[0]) if self.chains[0] else x

    def _index(self, name):
        return self.names.index(name) if name in self.names else None


def _adjust_rank(x, shape):
    """Keras's input rank adjustment, before the host layers: `(batch,)` data for an `Input`
    of shape `(batch, 1)` gets its last axis."""
    if shape is None or len(shape) < 2 or shape[-1] != 1:
        return x
    arr = np.asarray(x) if isinstance(x, list | tuple) else x
    if getattr(arr, "ndim", None) == len(shape) - 1:
        return np.expand_dims(arr, -1)
    return x


def host_stage_of(model) -> HostStage | None:
    """The host stage of a Sequential or functional model, or `None` if it has none.

    Marks the layers found (`_in_host_stage`) so that inside the compiled step they pass their
    (already processed) inputs through.

    Example:
        >>> import kernelkit as kk
        >>> lookup = kk.layers.StringLookup(vocabulary=["a", "b"])
        >>> model = kk.Sequential([kk.Input(shape=(1,), dtype="string"), lookup])
        >>> host_stage_of(model).chains == [[lookup]]
        True
    """
    chains, names, *shapes = _sequential_chains(model) or _functional_chains(model) or ([], [])
    stage = HostStage(chains, names, shapes[0] if shapes else None)
    if not stage.active:
        return None
    for chain in chains:
        for layer in chain:
            layer._in_host_stage = True
    return stage


def _sequential_chains(model):
    layers = getattr(model, "_layers", None)
    if not isinstance(layers, list) or not hasattr(model, "_input_layer"):
        return None
    chain = []
    for layer in layers:
        if not getattr(layer, "runs_on_host", False):
            break
        chain.append(layer)
    if chain and model._input_layer is None:
        raise ValueError(
            f"Sequential '{model.name}': its first layer, {type(chain[0]).__name__} "
            f"'{chain[0].name}', runs on the host and needs the model's Input to know the "
            "input dtype. Expected an Input first. Received: no Input. Start the model with "
            "kk.Input(shape=(1,), dtype=\"string\") (or the dtype of your data)."
        )
    return [chain], [getattr(model._input_layer, "name", "input")]


def _functional_chains(model):
    plan = getattr(model, "_plan", None)
    if plan is None or not hasattr(model, "_layers"):
        return None
    indices = getattr(plan, "_host_layer_indices", None)  # the plan is static: found once
    if indices is None:
        indices = []
        for key, tensor in zip(plan.input_keys, model.inputs):
            users = [s for s in plan.steps if ("t", key) in s.sources]
            index = users[0].layer_index if len(users) == 1 and sum(
                kind == "t" for kind, _ in users[0].sources) == 1 else None
            if index is not None and getattr(model._layers[index], "runs_on_host", False):
                tensor._feeds_host_layer = True
            else:
                index = None
            indices.append(index)
        plan._host_layer_indices = indices
    chains = [[] if i is None else [model._layers[i]] for i in indices]
    names = [t._keras_history[0].name if t._keras_history else f"input_{i}"
             for i, t in enumerate(model.inputs)]
    return chains, names, [tuple(t.shape) for t in model.inputs]


def host_stage_data(model, x):
    """`x` through the model's host stage: arrays at once, iterators batch by batch.

    Args:
        model: A kernelkit model.
        x: Inputs (arrays, lists/dicts of arrays), or a generator/iterator of batches
            `x`, `(x, y)` or `(x, y, sample_weight)`.

    Returns:
        The data the model's device part takes (`x` itself when there is no host stage).

    Example:
        >>> import kernelkit as kk
        >>> lookup = kk.layers.StringLookup(vocabulary=["a", "b"])
        >>> model = kk.Sequential([kk.Input(shape=(1,), dtype="string"), lookup])
        >>> host_stage_data(model, np.array([["b"], ["z"]])).tolist()
        [[2], [0]]
    """
    stage = host_stage_of(model)
    if stage is None or x is None:
        return x
    if hasattr(x, "__next__"):
        return (_batch_through(stage, batch) for batch in x)
    return stage.apply(x)


def _batch_through(stage, batch):
    if isinstance(batch, tuple) and 1 <= len(batch) <= 3:
        return (stage.apply(batch[0]), *batch[1:])
    return stage.apply(batch)


def host_stage_validation(model, validation_data):
    """`validation_data` (`(x, y[, w])` or a generator of batches) through the host stage.

    Args:
        model: A kernelkit model.
        validation_data: As `fit` takes it.

    Returns:
        The same structure, its inputs through the model's host layers.

    Example:
        >>> import kernelkit as kk
        >>> lookup = kk.layers.StringLookup(vocabulary=["a"])
        >>> model = kk.Sequential([kk.Input(shape=(1,), dtype="string"), lookup])
        >>> x, y = host_stage_validation(model, (np.array([["a"]]), np.array([1.0])))
        >>> x.tolist(), y.tolist()
        ([[1]], [1.0])
    """
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        return (host_stage_data(model, validation_data[0]), *validation_data[1:])
    return host_stage_data(model, validation_data)
