"""`plot_model` and `model_to_dot`: a `LayerGraph` rendered as a `graphviz.Digraph`.

The digraph shows inline as SVG in notebooks. Without Graphviz's `dot` program the DOT source
is still built and returned; displaying it prints a one-line hint instead of a traceback.
"""

from __future__ import annotations

import os
from html import escape

import graphviz

from kernelkit.display.graph import GraphNode, LayerGraph, layer_graph

__all__ = ["ModelGraph", "model_to_dot", "plot_model"]

INSTALL_HINT = ("plot_model: Graphviz's `dot` program was not found, so the graph cannot be "
                "drawn (its DOT source is in `.source`). Install Graphviz: `apt-get install "
                "graphviz`, `brew install graphviz`, or `conda install graphviz`.")
_FORMATS = ("png", "svg", "pdf", "dot")
# filled boxes with dark text and grey edges read the same on light and dark backgrounds
_NODE = {"shape": "plaintext", "fontname": "Helvetica", "fontsize": "11"}
_FILL, _BORDER, _TEXT, _EDGE = "#e9eff8", "#5b7db1", "#1a1a1a", "#8a8a8a"


class ModelGraph(graphviz.Digraph):
    """A `graphviz.Digraph` whose notebook display falls back to a hint without Graphviz.

    Its `repr` (a terminal, and the `text/plain` beside the SVG in a notebook) lists the layers
    and their connections; `str()` and `.source` are the DOT source, as for any digraph.
    """

    layer_graph = None  # the `LayerGraph` drawn, set by `to_digraph`

    def __repr__(self) -> str:
        if self.layer_graph is None:  # a subgraph or a copy: no layer data
            return f"<ModelGraph {self.name!r}: its DOT source is in .source>"
        return self.layer_graph.to_text()

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            print(INSTALL_HINT)
            return {"text/plain": self.source}


def _label(node: GraphNode, show_shapes, show_dtype, show_layer_names,
           show_layer_activations, show_trainable) -> str:
    title = (f"<b>{escape(node.name)}</b> ({escape(node.class_name)})" if show_layer_names
             else f"<b>{escape(node.class_name)}</b>")
    rows = [title]
    if show_layer_activations and node.activation and node.activation != "linear":
        rows.append(f"activation: {escape(node.activation)}")
    if show_dtype and node.dtype:
        rows.append(f"dtype: {escape(node.dtype)}")
    if show_trainable and node.trainable is not None:
        rows.append("trainable" if node.trainable else "frozen (not trainable)")
    if show_shapes:
        rows.append(f"in: {escape(node.input_shape)}  →  out: {escape(node.output_shape)}")
    cells = "".join(f"<tr><td align='left'>{row}</td></tr>" for row in rows)
    fill = _FILL if node.trainable is not False or not show_trainable else "#eeeeee"
    return (f"<<table border='1' cellborder='0' cellspacing='0' cellpadding='4' "
            f"bgcolor='{fill}' color='{_BORDER}'><tr><td><font color='{_TEXT}'><table "
            f"border='0' cellspacing='0'>{cells}</table></font></td></tr></table>>")


def to_digraph(graph: LayerGraph, show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", dpi=200, show_layer_activations=False,
               show_trainable=False) -> ModelGraph:
    """Renders a `LayerGraph` as a `ModelGraph` (a `graphviz.Digraph`).

    `dpi` is kept for the signature of `model_to_dot`; it applies when a PNG is written.
    """
    del dpi
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(
            "plot_model: unknown `rankdir`. Expected 'TB' (top to bottom), 'LR', 'BT' or 'RL'. "
            f"Received: rankdir={rankdir!r}."
        )
    dot = ModelGraph(name=graph.name, graph_attr={
        "rankdir": rankdir, "bgcolor": "transparent", "fontname": "Helvetica",
        "fontcolor": _EDGE, "fontsize": "11", "nodesep": "0.3", "ranksep": "0.35"},
        node_attr=_NODE, edge_attr={"color": _EDGE, "arrowsize": "0.7"})
    dot.layer_graph = graph
    ids = {n.id: f"n{i}" for i, n in enumerate(graph.nodes)}
    options = (show_shapes, show_dtype, show_layer_names, show_layer_activations,
               show_trainable)
    subgraphs = {(): dot}
    for path in sorted(graph.clusters, key=len):
        sub = ModelGraph(name=f"cluster_{len(subgraphs)}", graph_attr={
            "label": graph.clusters[path], "style": "rounded,dashed", "color": _EDGE,
            "fontcolor": _EDGE})
        subgraphs[path] = sub
    for node in graph.nodes:
        subgraphs[node.cluster].node(ids[node.id], label=_label(node, *options))
    for path in sorted(graph.clusters, key=len, reverse=True):
        subgraphs[path[:-1]].subgraph(subgraphs[path])
    for edge in graph.edges:
        dot.edge(ids[edge.source], ids[edge.target],
                 **({"style": "dashed"} if edge.inferred else {}))
    return dot


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
                 show_trainable=False) -> ModelGraph:
    """The model's layer graph as a `graphviz.Digraph` (shown as SVG in a notebook).

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2, name="d")])
        >>> "->" in model_to_dot(model).source
        True
    """
    graph = layer_graph(model, expand_nested=expand_nested)
    return to_digraph(graph, show_shapes=show_shapes, show_dtype=show_dtype,
                      show_layer_names=show_layer_names, rankdir=rankdir, dpi=dpi,
                      show_layer_activations=show_layer_activations,
                      show_trainable=show_trainable)


def plot_model(model, to_file=None, show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False,
               show_trainable=False) -> ModelGraph:
    """Draws the model's layer graph; writes it to `to_file` (.png/.svg/.pdf/.dot) when given.

    Args:
        model: The model to draw.
        to_file: Where to write the picture; the extension picks the format. `None` writes
            nothing (the returned digraph shows inline in a notebook).
        show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable:
            What each box shows.
        rankdir: `"TB"` (vertical) or `"LR"` (horizontal), as in Graphviz.
        expand_nested: Whether nested models become clusters of their layers.
        dpi: Resolution of PNG files.

    Returns:
        The `graphviz.Digraph`.

    Raises:
        ValueError: for an unknown file extension or `rankdir`.
        ImportError: when a picture must be written but Graphviz's `dot` is not installed.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> type(plot_model(model)).__name__
        'ModelGraph'
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable)
    if to_file is not None:
        write_graph(dot, os.fspath(to_file), dpi)
    return dot


def write_graph(dot: graphviz.Digraph, path: str, dpi=200) -> None:
    """Writes `dot` to `path` in the format named by its extension."""
    stem, ext = os.path.splitext(path)
    fmt = ext[1:].lower()
    if fmt not in _FORMATS:
        raise ValueError(
            f"plot_model: cannot write a {ext or 'file without extension'}. Expected a file "
            f"name ending in one of {tuple('.' + f for f in _FORMATS)}. Received: "
            f"to_file={path!r}."
        )
    if fmt == "dot":
        with open(path, "w", encoding="utf-8") as f:
            f.write(dot.source)
        return
    source = dot.source
    if fmt == "png":  # only bitmaps get the dpi: it would scale inline SVGs up
        source = source.replace("{\n", f"{{\n\tdpi={int(dpi)}\n", 1)
    try:
        data = graphviz.pipe("dot", fmt, source.encode("utf-8"))
    except graphviz.ExecutableNotFound as e:
        raise ImportError(INSTALL_HINT.replace("drawn (its DOT source is in `.source`)",
                                               f"written to {path!r}")) from e
    with open(path, "wb") as f:
        f.write(data)
