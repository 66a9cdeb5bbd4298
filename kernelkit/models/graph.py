"""The functional graph: from output tensors back to input tensors, as an executable plan.

Layers are ordered as Keras orders them (by depth from the inputs, then by discovery), so
`model.layers` and `get_weights()` line up with a Keras model of the same architecture.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import jax

from kernelkit.errors import WrongTypeError
from kernelkit.layers.input_layer import InputLayer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic

__all__ = ["GraphPlan", "Step", "build_plan"]


@dataclass(frozen=True)
class Step:
    """One node to run: layer index, argument structure, where each argument comes from."""

    layer_index: int
    treedef: object
    sources: tuple  # per flattened (args, kwargs) leaf: ("t", tensor_key) or ("c", constant)
    output_treedef: object
    output_keys: tuple


class GraphPlan:
    """A static, shareable description of a functional model's graph."""

    def __init__(self, inputs, outputs, steps, input_keys, output_keys, nodes):
        self.inputs, self.outputs = inputs, outputs
        self.steps, self.input_keys, self.output_keys = steps, input_keys, output_keys
        self.nodes = nodes  # the Node objects, in execution order

    def __deepcopy__(self, memo):
        return self  # immutable and indexed by layer position, so copies may share it


def _node_of(tensor):
    layer, index, _ = tensor._keras_history
    return layer._history.nodes[index]


def build_plan(inputs, outputs, owner: str):
    """Returns `(layers, plan)` for a functional model from `inputs` to `outputs`."""
    flat_in = jax.tree_util.tree_leaves(inputs, is_leaf=is_symbolic)
    flat_out = jax.tree_util.tree_leaves(outputs, is_leaf=is_symbolic)
    for kind, flat in (("inputs", flat_in), ("outputs", flat_out)):
        for t in flat:
            if not isinstance(t, SymbolicTensor):
                raise WrongTypeError(  # Keras 3 raises ValueError here
                    f"Model '{owner}': all {kind} must be symbolic tensors (from "
                    f"kernelkit.Input or from layers called on one). Received an {kind[:-1]} "
                    f"of type {type(t).__name__}."
                )
    input_ids = {id(t) for t in flat_in}
    order, indices = _discover(flat_in, flat_out, input_ids, owner)
    layers = _order_layers(flat_in, order, indices, input_ids, owner)
    position = {id(layer): i for i, layer in enumerate(layers)}

    keys: dict[int, int] = {}

    def key(t):
        return keys.setdefault(id(t), len(keys))

    input_keys = tuple(key(t) for t in flat_in)
    steps = []
    for node in order:
        flat, treedef = jax.tree_util.tree_flatten((node.call_args, node.call_kwargs),
                                                   is_leaf=is_symbolic)
        sources = tuple(("t", key(x)) if isinstance(x, SymbolicTensor) else ("c", x)
                        for x in flat)
        out_flat, out_def = jax.tree_util.tree_flatten(node.outputs, is_leaf=is_symbolic)
        steps.append(Step(position[id(node.layer)], treedef, sources, out_def,
                          tuple(key(t) for t in out_flat)))
    output_keys = tuple(key(t) for t in flat_out)
    return layers, GraphPlan(inputs, outputs, tuple(steps), input_keys, output_keys, order)


def _discover(flat_in, flat_out, input_ids, owner):
    """Post-order DFS from the outputs; stops at the model's inputs."""
    finished, in_progress, order, indices = set(), set(), [], {}

    def visit(tensor):
        if id(tensor) in input_ids:
            return
        if tensor._keras_history is None:
            raise ValueError(_disconnected(owner, tensor))
        node = _node_of(tensor)
        if id(node) in finished:
            return
        if isinstance(node.layer, InputLayer):
            raise ValueError(_disconnected(owner, tensor))
        if id(node) in in_progress:
            raise ValueError(f"Model '{owner}': the graph has a cycle at layer "
                             f"'{node.layer.name}'.")
        indices.setdefault(id(node.layer), (len(indices), node.layer))
        in_progress.add(id(node))
        for t in node.input_tensors:
            visit(t)
        in_progress.discard(id(node))
        finished.add(id(node))
        order.append(node)

    for t in flat_out:
        visit(t)
    return order, indices


def _order_layers(flat_in, order, indices, input_ids, owner):
    """Keras's layer order: deepest first (inputs), ties broken by discovery order."""
    node_depth, layer_depth = {}, {}
    for node in reversed(order):
        depth = max(node_depth.get(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        node_depth[id(node)] = depth
        for t in node.input_tensors:
            if id(t) in input_ids:
                continue
            parent = _node_of(t)
            node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    input_layers = []
    for t in flat_in:
        producer = t._keras_history[0] if t._keras_history else None
        if isinstance(producer, InputLayer):
            input_layers.append(producer)
        else:  # a sub-model from an intermediate tensor gets an input layer of its own
            input_layers.append(InputLayer(batch_shape=t.shape, dtype=t.dtype.name))
    by_depth = defaultdict(list)
    for layer_id, depth in layer_depth.items():
        by_depth[depth].append(indices[layer_id])
    layers, seen = [], set()
    for layer in input_layers + [layer for depth in sorted(by_depth, reverse=True)
                                 for _, layer in sorted(by_depth[depth], key=lambda i: i[0])]:
        if id(layer) not in seen:
            seen.add(id(layer))
            layers.append(layer)
    return layers


def _disconnected(owner, tensor):
    return (
        f"Model '{owner}': graph disconnected. Cannot reach tensor {tensor!r} from the model's "
        "inputs. Expected every output to be computed from the tensors passed as `inputs`. "
        "Add the missing Input to `inputs`."
    )
