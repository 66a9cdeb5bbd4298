"""Keras 3's op entries of functional configs (`x + 3.0`, `ops.mean(x, axis=1)`), both ways."""

from __future__ import annotations

import jax

import kernelkit.ops as kernelkit_ops
from kernelkit.layers.keras_op_table import keras_op_of, public_name_of
from kernelkit.layers.symbolic import is_symbolic
from kernelkit.ops.dispatch import record_op

__all__ = ["is_keras_op_entry", "keras_op_from_entry", "keras_op_layer_entry"]


def is_keras_op_entry(entry) -> bool:
    """Whether a layer entry of a functional config is a Keras op (module `keras.src.ops.*`).

    Args:
        entry: One item of the config's `layers`.

    Returns:
        True for an op entry such as `{"module": "keras.src.ops.numpy", "class_name": "Add"}`.

    Example:
        >>> is_keras_op_entry({"module": "keras.src.ops.numpy", "class_name": "Add"})
        True
    """
    module = entry.get("module") if isinstance(entry, dict) else None
    return isinstance(module, str) and (module.startswith("keras.src.ops.")
                                        or module == "keras.ops")


def keras_op_from_entry(entry: dict, where: str = "config"):
    """A function that records the op of a Keras op entry when called with its node's arguments.

    Args:
        entry: The op's entry (`module`, `class_name`, `config` with `name` and constructor
            arguments such as `axis`).
        where: Where the entry sits in the config, to name it in errors.

    Returns:
        `apply(*args, **kwargs)`: calls the matching `kernelkit.ops` function with the node's
        tensors and constants and the op's config, recorded under the op's saved name.

    Raises:
        ValueError: when kernelkit has no op for the entry's class.

    Example:
        >>> import kernelkit as kk
        >>> apply = keras_op_from_entry({"module": "keras.src.ops.numpy", "class_name": "Mean",
        ...                              "config": {"name": "mean", "axis": 1}})
        >>> apply(kk.Input((4, 3))).shape
        (None, 3)
    """
    module, class_name = entry.get("module"), entry.get("class_name")
    public = public_name_of(module, class_name) if isinstance(class_name, str) else None
    fn = getattr(kernelkit_ops, public, None) if public else None
    if fn is None:
        raise ValueError(
            f"{where}: unknown Keras op '{class_name}' of module '{module}'. Expected an op of "
            f"keras.ops that kernelkit.ops implements. Received: class_name={class_name!r}, "
            f"module={module!r}. Rebuild this part of the model with kernelkit layers or ops."
        )
    config = dict(entry.get("config") or {})
    name = config.pop("name", None) or entry.get("name")
    call_names = keras_op_of(public)[3]

    def apply(*args, **kwargs):
        if len(args) > len(call_names):
            raise ValueError(
                f"{where}: Keras op '{class_name}' ('{name}') was saved with {len(args)} "
                f"arguments. Expected at most {len(call_names)} ({', '.join(call_names)}). "
                f"Received: args of length {len(args)}. The file does not match Keras 3's op."
            )
        named = {**dict(zip(call_names, _decoded(args))), **_decoded(kwargs), **config}
        if public == "get_item" and isinstance(named.get("key"), list):
            named["key"] = tuple(named["key"])  # JSON has no tuples; a list key is another index
        return record_op(public, fn, (), named, layer_name=name)

    return apply


def _decoded(data):
    """Keras's inline forms of constants (`__slice__`, `__ellipsis__`) as Python values."""
    if isinstance(data, dict):
        if data.get("class_name") == "__slice__":
            config = data.get("config") or {}
            return slice(config.get("start"), config.get("stop"), config.get("step"))
        if data.get("class_name") == "__ellipsis__":
            return Ellipsis
        return {k: _decoded(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(_decoded(v) for v in data)
    return data


def keras_op_layer_entry(layer, own_nodes, tensor_config) -> dict:
    """The functional-config entry of an `OpLayer`, in Keras 3's op format.

    Args:
        layer: The `OpLayer`.
        own_nodes: The ids of the nodes that belong to the model being saved.
        tensor_config: Maps a symbolic tensor to its `__keras_tensor__` dict (other values
            pass through).

    Returns:
        `{"module", "class_name", "config", "registered_name", "name", "inbound_nodes"}`.

    Raises:
        NotImplementedError: when the op has no Keras 3 form (an op Keras lacks, a constant
            that is not a plain value).
    """
    entry, nodes = None, []
    for node in layer._history.nodes:
        if id(node) not in own_nodes:
            continue
        op = layer.keras_op_entry(node)
        if isinstance(op, str):
            raise NotImplementedError(
                f"OpLayer '{layer.name}' ({layer.op_name}) cannot be serialized: {op}. "
                "Expected an op that Keras 3 saves. Use a named layer (e.g. layers.Add) or a "
                "custom layer with get_config() instead."
            )
        args = jax.tree_util.tree_map(tensor_config, op.pop("args"), is_leaf=is_symbolic)
        nodes.append({"args": args, "kwargs": op.pop("kwargs")})
        entry = entry or op
    return {**entry, "name": layer.name, "inbound_nodes": nodes}
