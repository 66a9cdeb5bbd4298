"""Functional model configs in Keras 3's layout (`layers`, `inbound_nodes`, `input_layers`)."""

from __future__ import annotations

import jax

from kernelkit.layers.input_layer import InputLayer
from kernelkit.layers.operation import OpLayer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic
from kernelkit.models.keras_op_nodes import (
    is_keras_op_entry,
    keras_op_from_entry,
    keras_op_layer_entry,
)
from kernelkit.registry import deserialize, serialize

__all__ = ["functional_config", "functional_from_config"]


def _node_index_map(model) -> dict:
    """Maps id(node) to the node's index among the nodes that belong to `model`'s graph."""
    own = {id(n) for n in model._plan.nodes}
    mapping = {}
    for layer in model._layers:
        kept = 1 if _is_nested_functional(layer) else 0
        for node in layer._history.nodes:
            if id(node) in own or isinstance(layer, InputLayer):
                mapping[id(node)] = kept
                kept += 1
    return mapping


def functional_config(model) -> dict:
    index = _node_index_map(model)

    def tensor_ref(t: SymbolicTensor):
        layer, node_index, tensor_index = t._keras_history
        if isinstance(layer, InputLayer) or node_index >= len(layer._history.nodes):
            return [layer.name, 0, tensor_index]
        return [layer.name, index.get(id(layer._history.nodes[node_index]), 0), tensor_index]

    def input_ref(i, t):
        layer = model._layers[i]
        return [layer.name, 0, 0] if t._keras_history[0] is not layer else tensor_ref(t)

    def tensor_config(x):
        if not isinstance(x, SymbolicTensor):
            return x
        ref = tensor_ref(x) if id(x) not in input_ids else input_ids[id(x)]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(x.shape), "dtype": _dtype_name(x.dtype),
                           "keras_history": ref}}

    input_ids = {id(t): input_ref(i, t) for i, t in enumerate(model.inputs)}
    own = {id(n) for n in model._plan.nodes}
    layers = []
    for layer in model._layers:
        if isinstance(layer, OpLayer):
            layers.append(keras_op_layer_entry(layer, own, tensor_config))
            continue
        entry = serialize(layer)
        entry["name"] = layer.name
        build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
        if build is not None and not isinstance(layer, InputLayer):
            entry["build_config"] = build
        entry["inbound_nodes"] = [
            {"args": jax.tree_util.tree_map(tensor_config, list(node.call_args), is_leaf=is_symbolic),
             "kwargs": jax.tree_util.tree_map(tensor_config, dict(node.call_kwargs),
                                              is_leaf=is_symbolic)}
            for node in layer._history.nodes if id(node) in own
        ]
        layers.append(entry)

    def refs(struct):
        return jax.tree_util.tree_map(
            lambda t: input_ids.get(id(t)) or tensor_ref(t), struct, is_leaf=is_symbolic)

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": refs(model._plan.inputs),
            "output_layers": refs(model._plan.outputs)}


def _is_ref(x) -> bool:
    return (isinstance(x, list) and len(x) == 3 and isinstance(x[0], str)
            and isinstance(x[1], int) and isinstance(x[2], int))


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds a functional model: layers from their configs, then their calls in order."""
    if not isinstance(config, dict) or not {"layers", "input_layers", "output_layers"} <= set(config):
        raise ValueError(
            f"{cls.__name__}.from_config: improperly formatted config. Expected a dict with "
            "'layers', 'input_layers' and 'output_layers'. Received: "
            f"{sorted(config) if isinstance(config, dict) else type(config).__name__}."
        )
    created, outputs_of = {}, {}
    pending = []
    for i, entry in enumerate(config["layers"]):
        where = f"config['layers'][{i}]"
        if is_keras_op_entry(entry):
            name = entry.get("name") or entry.get("config", {}).get("name")
            created[name], outputs_of[name] = keras_op_from_entry(entry, where), []
            pending.extend((name, node) for node in entry.get("inbound_nodes", []))
            continue
        layer = deserialize(entry, module="keras.layers", custom_objects=custom_objects,
                            where=where)
        name = entry.get("name", layer.name)
        created[name] = layer
        outputs_of[name] = [layer._output] if isinstance(layer, InputLayer) else []
        if _is_nested_functional(layer):
            outputs_of[name] = [layer.output]
        for node in entry.get("inbound_nodes", []):
            pending.append((name, node))
    while pending:
        progressed, remaining = False, []
        for name, node in pending:
            args = _resolve(node.get("args", []), outputs_of)
            kwargs = _resolve(node.get("kwargs", {}), outputs_of)
            if args is _MISSING or kwargs is _MISSING or any(
                    prev == name for prev, _ in remaining):
                remaining.append((name, node))
                continue
            outputs_of[name].append(created[name](*args, **kwargs))
            progressed = True
        if not progressed:
            raise ValueError(
                f"{cls.__name__}.from_config: cannot connect layers "
                f"{sorted({n for n, _ in remaining})}: their inputs are never produced."
            )
        pending = remaining

    def lookup(ref):
        layer_name, node_index, tensor_index = ref
        if layer_name not in outputs_of or node_index >= len(outputs_of[layer_name]):
            raise ValueError(
                f"{cls.__name__}.from_config: unknown tensor reference {ref}."
            )
        out = outputs_of[layer_name][node_index]
        leaves = jax.tree_util.tree_leaves(out, is_leaf=is_symbolic)
        return leaves[tensor_index]

    inputs = _map_refs(config["input_layers"], lookup)
    outputs = _map_refs(config["output_layers"], lookup)
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))


_MISSING = object()


def _resolve(data, outputs_of):
    if isinstance(data, dict) and data.get("class_name") == "__keras_tensor__":
        layer_name, node_index, tensor_index = data["config"]["keras_history"]
        produced = outputs_of.get(layer_name, [])
        if node_index >= len(produced):
            return _MISSING
        return jax.tree_util.tree_leaves(produced[node_index], is_leaf=is_symbolic)[tensor_index]
    if isinstance(data, dict):
        out = {k: _resolve(v, outputs_of) for k, v in data.items()}
        return _MISSING if any(v is _MISSING for v in out.values()) else out
    if isinstance(data, list):
        out = [_resolve(v, outputs_of) for v in data]
        return _MISSING if any(v is _MISSING for v in out) else out
    return data


def _map_refs(refs, lookup):
    if _is_ref(refs):
        return lookup(refs)
    if isinstance(refs, dict):
        return {k: _map_refs(v, lookup) for k, v in refs.items()}
    return [_map_refs(r, lookup) for r in refs]


def _is_nested_functional(layer) -> bool:
    # Functional says so itself: this module is below it (Functional imports it).
    return getattr(layer, "_is_graph_network", False) is True


def _dtype_name(dtype) -> str:
    return "string" if dtype.kind == "U" else dtype.name  # Keras's name of text tensors
