"""A model's layer graph as plain data (nodes, edges, nested clusters), rendered elsewhere.

Functional and Sequential models are read from their graph; a shared layer is one node with
several edges. A subclassed model is traced once with `jax.eval_shape` to see which sublayer
feeds which; when that fails it is one box.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jax

from kernelkit.display.summary import format_shape

__all__ = ["GraphEdge", "GraphNode", "LayerGraph", "layer_graph"]


@dataclass
class GraphNode:
    """One layer: a unique id, its name and class, shapes and settings for the label."""

    id: str
    name: str
    class_name: str
    input_shape: str = "?"
    output_shape: str = "?"
    dtype: str = ""
    activation: str = ""
    trainable: bool | None = None
    cluster: tuple[str, ...] = ()  # names of the enclosing expanded models, outermost first


@dataclass
class GraphEdge:
    """`source` feeds `target`; `inferred` when the link was guessed (subclassed models)."""

    source: str
    target: str
    inferred: bool = False


@dataclass
class LayerGraph:
    """The graph of a model: nodes in layer order, edges, and nested models' clusters."""

    name: str
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    clusters: dict[tuple[str, ...], str] = field(default_factory=dict)  # path -> label

    def add_edge(self, source: str, target: str, inferred: bool = False) -> None:
        edge = GraphEdge(source, target, inferred)
        if edge not in self.edges:
            self.edges.append(edge)

    def to_text(self) -> str:
        """The graph as plain text: one line per layer with its shapes and the layers feeding
        it (what terminals, logs and frontends that show no SVG get).

        Returns:
            The lines joined by newlines; nested layers are named by their path (`inner/dense`).

        Example:
            >>> graph = LayerGraph("m", [GraphNode("a", "a", "InputLayer", "(None, 2)",
            ...                                    "(None, 2)"), GraphNode("b", "b", "Dense")])
            >>> graph.add_edge("a", "b")
            >>> print(graph.to_text())
            Layer graph 'm': 2 layers, 1 connection
              a (InputLayer)  (None, 2) -> (None, 2)
              b (Dense)       ? -> ?                  <- a
        """
        feeds = {node.id: [] for node in self.nodes}
        for edge in self.edges:
            feeds.setdefault(edge.target, []).append(
                edge.source + (" (inferred)" if edge.inferred else ""))
        rows = [(f"{node.id} ({node.class_name})", f"{node.input_shape} -> {node.output_shape}",
                 f"<- {', '.join(feeds[node.id])}" if feeds[node.id] else "")
                for node in self.nodes]
        widths = [max((len(row[i]) for row in rows), default=0) for i in range(2)]
        edges = len(self.edges)
        lines = [f"Layer graph {self.name!r}: {len(self.nodes)} layer"
                 f"{'' if len(self.nodes) == 1 else 's'}, {edges} connection"
                 f"{'' if edges == 1 else 's'}"]
        lines += [f"  {a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}".rstrip()
                  for a, b, c in rows]
        return "\n".join(lines)


def _node(layer, node_id, cluster, input_shape=None, output_shape=None) -> GraphNode:
    activation = getattr(layer, "activation", None)
    activation = getattr(activation, "__name__", None) or (str(activation) if activation else "")
    weights = layer.weights if getattr(layer, "built", False) else []
    return GraphNode(
        id=node_id, name=layer.name, class_name=type(layer).__name__,
        input_shape=format_shape(input_shape), output_shape=format_shape(output_shape),
        dtype=str(getattr(layer, "dtype", "") or ""), activation=activation,
        trainable=bool(getattr(layer, "trainable", True)) if weights else None, cluster=cluster)


def _is_model(layer) -> bool:
    return getattr(layer, "layers", None) is not None and hasattr(layer, "summary")


class _Builder:
    def __init__(self, graph: LayerGraph, expand_nested: bool):
        self.graph, self.expand_nested = graph, expand_nested

    def add_model(self, model, prefix: str, cluster: tuple) -> tuple[list[str], list[str]]:
        """Adds `model`'s layers; returns the node ids taking its inputs and giving its outputs."""
        if getattr(model, "_plan", None) is not None:
            return self._functional(model, prefix, cluster)
        if hasattr(model, "layer_output_shape"):
            return self._sequential(model, prefix, cluster)
        return self._subclassed(model, prefix, cluster)

    def add_layer(self, layer, prefix, cluster, input_shape=None, output_shape=None):
        """Adds one layer (a cluster when it is a model to expand); returns (entries, exits)."""
        node_id = f"{prefix}{layer.name}"
        if self.expand_nested and _is_model(layer) and layer.built:
            path = (*cluster, layer.name)
            self.graph.clusters[path] = f"{layer.name} ({type(layer).__name__})"
            return self.add_model(layer, node_id + "/", path)
        self.graph.nodes.append(_node(layer, node_id, cluster, input_shape, output_shape))
        return [node_id], [node_id]

    def _functional(self, model, prefix, cluster):
        plan, ends = model._plan, {}
        for layer in model.layers:
            if type(layer).__name__ == "InputLayer":
                shape = getattr(layer, "batch_shape", None)
                ends[id(layer)] = self.add_layer(layer, prefix, cluster, shape, shape)
        for node in plan.nodes:
            layer = node.layer
            if id(layer) not in ends:
                ends[id(layer)] = self.add_layer(layer, prefix, cluster, node.input_shapes,
                                                 node.output_shapes)
            for t in node.input_tensors:
                producer = t._keras_history[0]
                for src in ends[id(producer)][1]:
                    for dst in ends[id(layer)][0]:
                        self.graph.add_edge(src, dst)
        entries = [i for t in jax.tree_util.tree_leaves(model.inputs)
                   for i in ends[id(t._keras_history[0])][0]]
        exits = [i for t in jax.tree_util.tree_leaves(model.outputs)
                 for i in ends[id(t._keras_history[0])][1]]
        return entries, exits

    def _sequential(self, model, prefix, cluster):
        entries, previous = [], []
        input_layer = getattr(model, "_input_layer", None)
        if input_layer is not None:
            shape = input_layer.batch_shape
            entries, previous = self.add_layer(input_layer, prefix, cluster, shape, shape)
        shape_in = getattr(input_layer, "batch_shape", None)
        for index, layer in enumerate(model.layers):
            shape_out = model.layer_output_shape(index)
            first, last = self.add_layer(layer, prefix, cluster, shape_in, shape_out)
            for src in previous:
                for dst in first:
                    self.graph.add_edge(src, dst)
            entries = entries or first
            previous, shape_in = last, shape_out
        return entries, previous

    def _subclassed(self, model, prefix, cluster):
        calls = _trace_calls(model)
        if not calls:
            return self.add_layer_box(model, prefix, cluster)
        ends, made, previous = {}, {}, None
        for layer, ins, outs, in_shape, out_shape in calls:
            if id(layer) not in made:
                made[id(layer)] = self.add_layer(layer, prefix, cluster, in_shape, out_shape)
            first, _ = made[id(layer)]
            producers = [ends[i][1] for i in ins if i in ends]
            inferred = not producers and previous is not None
            if inferred:  # its input came from plain array code: assume the last call fed it
                producers = [previous[1]]
            for src in (p for ids in producers for p in ids):
                for dst in first:
                    self.graph.add_edge(src, dst, inferred=inferred)
            previous = made[id(layer)]
            for o in outs:
                ends[o] = made[id(layer)]
        entries = made[id(calls[0][0])][0]
        return entries, made[id(calls[-1][0])][1]

    def add_layer_box(self, model, prefix, cluster):
        node_id = f"{prefix}{model.name}"
        shape = getattr(model, "_build_shapes", None)
        self.graph.nodes.append(_node(model, node_id, cluster, shape, None))
        return [node_id], [node_id]


def _batch_shape(x):
    """A traced array's shape with the batch dimension shown as `None`."""
    return (None, *x.shape[1:]) if hasattr(x, "shape") and x.shape else None


def _trace_calls(model) -> list:
    """Direct sublayer calls of a subclassed model, recorded under `jax.eval_shape`."""
    shapes = getattr(model, "_build_shapes", None)
    sublayers = list(getattr(model, "layers", []) or [])
    if shapes is None or not sublayers or not model.built:
        return []
    calls, keep = [], []

    def recorder(layer, call):
        def recorded(*args, **kwargs):
            outputs = call(*args, **kwargs)
            ins = [id(x) for x in jax.tree_util.tree_leaves((args, kwargs))]
            outs = [id(x) for x in jax.tree_util.tree_leaves(outputs)]
            keep.append((args, kwargs, outputs))  # ids stay unique while the trace runs
            calls.append((layer, ins, outs, _batch_shape(args[0]), _batch_shape(outputs)))
            return outputs
        return recorded

    for layer in sublayers:
        object.__setattr__(layer, "call", recorder(layer, layer.call))
    try:
        spec = jax.tree_util.tree_map(
            lambda s: jax.ShapeDtypeStruct(tuple(1 if d is None else d for d in s), "float32"),
            shapes, is_leaf=lambda s: isinstance(s, tuple) and all(
                d is None or isinstance(d, int) for d in s))
        jax.eval_shape(lambda x: model(x, training=False), spec)
    except Exception:  # any failure means "draw one box", never an error for a picture
        return []
    finally:
        for layer in sublayers:
            layer.__dict__.pop("call", None)
    return calls


def layer_graph(model, expand_nested: bool = False) -> LayerGraph:
    """The nodes and edges of a model's layer graph.

    Args:
        model: A built model (Sequential, functional or subclassed).
        expand_nested: Whether nested models become clusters of their layers.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2, name="d")])
        >>> graph = layer_graph(model)
        >>> [n.name for n in graph.nodes], len(graph.edges)
        (['input_layer', 'd'], 1)
    """
    graph = LayerGraph(name=model.name)
    _Builder(graph, expand_nested).add_model(model, "", ())
    return graph
