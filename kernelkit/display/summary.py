"""`model.summary()`: the layer table computed as rows first, then rendered as text.

The rows are plain data (`SummaryTable`), so the text form here and the HTML form of the
notebook view render the same content, and both can be tested without Jupyter.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import jax
import numpy as np

from kernelkit.layers import tracking
from kernelkit.naming import to_snake_case

__all__ = ["SummaryRow", "SummaryTable", "format_shape", "print_summary", "readable_size",
           "render_text", "summary_table"]

_TRAINABLE_WIDTH = 12
#: Fixed-width optional columns of the text table: header -> width (borders included).
_EXTRA_WIDTHS = {"Trainable": _TRAINABLE_WIDTH, "Param bytes": 14, "dtype": 12}


@dataclass
class SummaryRow:
    """One layer: name, class, output shape text, parameter count, inbound connections."""

    name: str
    class_name: str
    output_shape: str
    params: int
    connected_to: list[str] = field(default_factory=list)
    trainable: bool | None = None
    depth: int = 0
    built: bool = True
    param_bytes: int = 0
    dtype: str = ""
    children: list[SummaryRow] = field(default_factory=list)


@dataclass
class SummaryTable:
    """The whole summary: model name, rows and the parameter totals."""

    model_name: str
    model_class: str
    functional: bool
    rows: list[SummaryRow]
    total_params: int
    trainable_params: int
    non_trainable_params: int
    total_bytes: int
    trainable_bytes: int
    non_trainable_bytes: int
    optimizer_params: int | None = None
    optimizer_bytes: int | None = None


def readable_size(n_bytes: int) -> str:
    """`1536` → `'1.50 KB'` (1024-based, as Keras prints sizes)."""
    size = float(n_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def format_shape(shape) -> str:
    """`(None, 3)` -> `'(None, 3)'`; lists and dicts of shapes keep their structure."""
    if shape is None:
        return "?"
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    if isinstance(shape, dict):
        return "{" + ", ".join(f"{k}: {format_shape(v)}" for k, v in shape.items()) + "}"
    if isinstance(shape, list | tuple):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return str(shape)


def _weights_totals(weights) -> tuple[int, int]:
    count = sum(int(math.prod(w.shape)) for w in weights)
    size = sum(int(math.prod(w.shape)) * np.dtype(w.dtype).itemsize for w in weights)
    return count, size


def _output_shapes(model, layer, index):
    """The shape text for `layer` inside `model`, from the graph when there is one."""
    plan = getattr(model, "_plan", None)
    if plan is not None:
        shapes = [node.output_shapes for node in plan.nodes if node.layer is layer]
        if not shapes and layer._history.nodes:
            shapes = [layer._history.nodes[0].output_shapes]
        return shapes[0] if len(shapes) == 1 else (shapes or None)
    if hasattr(model, "layer_output_shape"):
        return model.layer_output_shape(index)
    nodes = getattr(layer, "_history", None)
    return nodes.nodes[-1].output_shapes if nodes is not None and nodes.nodes else None


def _connections(model, layer) -> list[str]:
    plan = getattr(model, "_plan", None)
    if plan is None:
        return []
    own = {id(n) for n in plan.nodes}
    out = []
    for node in plan.nodes:
        if node.layer is not layer:
            continue
        for t in node.input_tensors:
            producer, node_index, tensor_index = t._keras_history
            kept = [n for n in producer._history.nodes if id(n) in own]
            index = next((i for i, n in enumerate(kept)
                          if n is producer._history.nodes[node_index]), 0)
            out.append(f"{producer.name}[{index}][{tensor_index}]")
    return out


def _row(model, layer, index, depth, expand_nested) -> SummaryRow:
    built = getattr(layer, "built", True)
    weights = tracking.weights_of(layer) if built else []  # plain NNX modules too
    params, size = _weights_totals(weights)
    dtype = getattr(layer, "dtype", "")
    name = getattr(layer, "name", None)
    row = SummaryRow(
        name=name if isinstance(name, str) else to_snake_case(type(layer).__name__),
        class_name=type(layer).__name__,
        output_shape=format_shape(_output_shapes(model, layer, index)),
        params=params, connected_to=_connections(model, layer),
        trainable=bool(getattr(layer, "trainable", True)) if weights else None,
        depth=depth, built=built, param_bytes=size, dtype=str(dtype),
    )
    sub = getattr(layer, "layers", None)
    if expand_nested and sub is not None and hasattr(layer, "summary"):
        row.children = [_row(layer, s, i, depth + 1, expand_nested) for i, s in enumerate(sub)]
    return row


def _select_range(layers, layer_range):
    if layer_range is None:
        return layers
    if not isinstance(layer_range, list | tuple) or len(layer_range) != 2:
        raise ValueError(
            "summary: `layer_range` must be a list or tuple of two layer names (or regex "
            f"patterns). Received: layer_range={layer_range!r}."
        )
    names = [layer.name for layer in layers]

    def matches(pattern, name):
        return name == pattern or re.match(pattern, name) is not None

    starts = [i for i, n in enumerate(names) if matches(layer_range[0], n)]
    ends = [i for i, n in enumerate(names) if matches(layer_range[1], n)]
    if not starts or not ends:
        missing = layer_range[0] if not starts else layer_range[1]
        raise ValueError(
            f"summary: no layer matches {missing!r} of `layer_range`. Expected names or regex "
            f"patterns of layers in {names}. Received: layer_range={tuple(layer_range)}."
        )
    start, end = starts[0], ends[-1]
    if start > end:
        raise ValueError(
            f"summary: `layer_range` starts at {names[start]!r}, after it ends at "
            f"{names[end]!r}. Received: layer_range={tuple(layer_range)}."
        )
    return layers[start:end + 1]


def summary_table(model, expand_nested=False, layer_range=None) -> SummaryTable:
    """Computes the summary rows and totals of a built model.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> table = summary_table(m)
        >>> len(table.rows), table.total_params
        (1, 8)
    """
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' has not been built yet, so it has no summary. Build it by "
            "calling build(input_shape), by calling it on a batch of data, or by starting it "
            "with an Input."
        )
    layers = list(model.layers)
    rows = [_row(model, layer, i, 0, expand_nested) for i, layer in enumerate(layers)]
    selected = {id(layer) for layer in _select_range(layers, layer_range)}
    rows = [r for r, layer in zip(rows, layers) if id(layer) in selected]
    weights = model.weights
    total, total_bytes = _weights_totals(weights)
    trainable, trainable_bytes = _weights_totals(model.trainable_weights)
    table = SummaryTable(
        model_name=model.name, model_class=type(model).__name__,
        functional=getattr(model, "_plan", None) is not None, rows=rows,
        total_params=total, trainable_params=trainable,
        non_trainable_params=total - trainable, total_bytes=total_bytes,
        trainable_bytes=trainable_bytes, non_trainable_bytes=total_bytes - trainable_bytes,
    )
    sizes = _optimizer_totals(model)
    if sizes is not None:
        table.optimizer_params, table.optimizer_bytes = sizes
    return table


def _optimizer_totals(model):
    """Element count and bytes of the optimizer state, once training has created it."""
    trainer = model.__dict__.get("_trainer_state")
    state = getattr(getattr(trainer, "optimizer_state", None), "state", None)
    if state is None:
        return None
    leaves = [x for x in jax.tree_util.tree_leaves(state)
              if hasattr(x, "shape") and hasattr(x, "dtype")]
    return _weights_totals(leaves)


def _fit(text: str, width: int, right: bool = False) -> str:
    if len(text) > width:
        text = text[: max(0, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)


def render_text(table: SummaryTable, line_length=None, positions=None, show_trainable=False,
                show_bytes=False, show_dtype=False) -> list[str]:
    """Renders a `SummaryTable` as the Keras text table; no line exceeds `line_length`.

    The optional columns (trainable, parameter bytes, dtype) have fixed widths on the right;
    `positions` place the Keras columns in what remains of `line_length`.
    """
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if table.functional:
        headers.append("Connected to")
    extra = [h for h, on in (("Trainable", show_trainable), ("Param bytes", show_bytes),
                             ("dtype", show_dtype)) if on]
    extra_width = sum(_EXTRA_WIDTHS[h] for h in extra)
    line_length = int(line_length or (108 if table.functional else 88) + extra_width)
    width = line_length - extra_width
    positions = list(positions or [0.3, 0.6, 0.70, 1.0])
    positions = positions[: len(headers) - 1] + [positions[-1] if len(positions) == len(
        headers) else 1.0]
    if positions[-1] <= 1:
        positions = [int(p * width) for p in positions]
    edges = [0, *positions]
    widths = [max(1, edges[i + 1] - edges[i] - 3) for i in range(len(headers))]
    widths[-1] = max(1, widths[-1] - 1)
    # the count is right-aligned in a narrow column, left-aligned when it is the wide last one
    aligns = [False, False, table.functional, False]
    aligns = aligns[: len(headers)]
    for h in extra:
        headers.append(h)
        widths.append(_EXTRA_WIDTHS[h] - 3)
        aligns.append(h == "Param bytes")

    def line(cells):
        parts = [_fit(c, w, aligns[i]) for i, (c, w) in enumerate(zip(cells, widths))]
        return ("│ " + " │ ".join(parts) + " │")[:line_length]

    def border(left, mid, right, fill):
        return (left + mid.join(fill * (w + 2) for w in widths) + right)[:line_length]

    out = [f'Model: "{table.model_name}"', border("┏", "┳", "┓", "━"),
           line(headers).replace("│", "┃"), border("┡", "╇", "┩", "━")]

    def emit(row):
        indent = "  " * row.depth
        params = f"{row.params:,}" if row.built else "0 (unbuilt)"
        trainable = "" if row.trainable is None else ("Y" if row.trainable else "N")
        connections = row.connected_to or ([""] if table.functional else [])
        for i, conn in enumerate(connections or [""]):
            cells = ([f"{indent}{row.name} ({row.class_name})", row.output_shape, params]
                     if i == 0 else ["", "", ""])
            if table.functional:
                cells.append(conn)
            values = {"Trainable": trainable, "dtype": row.dtype,
                      "Param bytes": readable_size(row.param_bytes) if row.params else ""}
            cells += [values[h] if i == 0 else "" for h in extra]
            out.append(line(cells))
        for child in row.children:
            emit(child)

    for row in table.rows:
        emit(row)
    out.append(border("└", "┴", "┘", "─"))
    out.append(f" Total params: {table.total_params:,} ({readable_size(table.total_bytes)})")
    out.append(f" Trainable params: {table.trainable_params:,} "
               f"({readable_size(table.trainable_bytes)})")
    out.append(f" Non-trainable params: {table.non_trainable_params:,} "
               f"({readable_size(table.non_trainable_bytes)})")
    if table.optimizer_params is not None:
        out.append(f" Optimizer params: {table.optimizer_params:,} "
                   f"({readable_size(table.optimizer_bytes)})")
    return [x[:line_length] for x in out]


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None, show_bytes=False,
                  show_dtype=False) -> None:
    """Prints the summary text, calling `print_fn` once per line when given.

    Example:
        >>> import kernelkit as kk
        >>> m = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> lines = []
        >>> print_summary(m, print_fn=lines.append)
        >>> any("Total params: 8" in line for line in lines)
        True
    """
    table = summary_table(model, expand_nested=expand_nested, layer_range=layer_range)
    lines = render_text(table, line_length=line_length, positions=positions,
                        show_trainable=show_trainable, show_bytes=show_bytes,
                        show_dtype=show_dtype)
    emit = print_fn or print
    for text in lines:
        emit(text)
