"""Symbolic losses of a functional model: `model.add_loss(ops.sum(outputs))`.

A loss given as a symbolic tensor is a graph from the model's tensors to a scalar. It is kept
as a `LossPlan` (static, like the model's own `GraphPlan`) whose steps start from the values
the model's forward pass computed, so the loss is recomputed from every call's activations
at no extra forward cost. Layers of the loss graph that are not layers of the model (the
weightless `OpLayer`s that `kernelkit.ops` records) live in the plan, outside the NNX graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax

from kernelkit.layers.input_layer import InputLayer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic

__all__ = ["LossPlan", "build_loss_plan", "run_loss_plan"]


@dataclass(frozen=True)
class LossStep:
    """One node of a loss graph: its layer (a model layer index or an own layer) and sources."""

    layer: object  # int: index into model._layers; else the layer itself
    treedef: object
    sources: tuple  # ("t", key) or ("c", constant) per flattened (args, kwargs) leaf
    output_keys: tuple


class LossPlan:
    """The steps computing every symbolic loss, and the keys of the loss values."""

    def __init__(self, tensors: tuple, steps: tuple, loss_keys: tuple):
        self.tensors, self.steps, self.loss_keys = tensors, steps, loss_keys

    def __deepcopy__(self, memo):
        return self  # static and shared by copies, like GraphPlan


def _known_keys(plan) -> dict:
    """`id(tensor) -> key` for every tensor the model's own forward pass computes."""
    keys = {}
    flat_in = jax.tree_util.tree_leaves(plan.inputs, is_leaf=is_symbolic)
    for t, k in zip(flat_in, plan.input_keys):
        keys[id(t)] = k
    for node, step in zip(plan.nodes, plan.steps):
        for t, k in zip(node.output_tensors, step.output_keys):
            keys[id(t)] = k
    return keys


def build_loss_plan(model, tensors: list) -> LossPlan:
    """A `LossPlan` for `tensors` (plus those the model already had) on `model`'s graph."""
    previous = model._loss_plan.tensors if model._loss_plan is not None else ()
    tensors = tuple(previous) + tuple(tensors)
    keys = _known_keys(model._plan)
    model_tensors = set(keys)
    next_key = [max(keys.values(), default=-1) + 1]
    layer_index = {id(layer): i for i, layer in enumerate(model._layers)}
    steps, done = [], set()

    def key(t):
        if id(t) not in keys:
            keys[id(t)] = next_key[0]
            next_key[0] += 1
        return keys[id(t)]

    def visit(t):
        if id(t) in model_tensors or id(t) in done:
            return
        if t._keras_history is None or isinstance(t._keras_history[0], InputLayer):
            raise ValueError(
                f"Model '{model.name}': add_loss() was given a symbolic tensor that is not "
                f"computed from the model's inputs. Received: loss={t!r}. Build the loss from "
                "the model's inputs or outputs (e.g. ops.sum(outputs))."
            )
        layer, index, _ = t._keras_history
        node = layer._history.nodes[index]
        for parent in node.input_tensors:
            visit(parent)
        flat, treedef = jax.tree_util.tree_flatten((node.call_args, node.call_kwargs),
                                                   is_leaf=is_symbolic)
        sources = tuple(("t", key(x)) if isinstance(x, SymbolicTensor) else ("c", x)
                        for x in flat)
        ref = layer_index.get(id(layer), layer)
        steps.append(LossStep(ref, treedef, sources,
                              tuple(key(o) for o in node.output_tensors)))
        done.update(id(o) for o in node.output_tensors)

    for t in tensors:
        visit(t)
    return LossPlan(tensors, tuple(steps), tuple(key(t) for t in tensors))


def run_loss_plan(model, values: dict) -> list:
    """The loss values, computed from the forward pass's `values` (keyed like the plan)."""
    values = dict(values)
    for step in model._loss_plan.steps:
        layer = model._layers[step.layer] if isinstance(step.layer, int) else step.layer
        leaves = [values[ref] if kind == "t" else ref for kind, ref in step.sources]
        args, kwargs = jax.tree_util.tree_unflatten(step.treedef, leaves)
        outputs = layer(*args, **kwargs)
        for k, v in zip(step.output_keys, jax.tree_util.tree_leaves(outputs)):
            values[k] = v
    return [values[k] for k in model._loss_plan.loss_keys]
