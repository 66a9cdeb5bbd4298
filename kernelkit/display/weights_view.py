"""`weights_view`: a table of a model's variables (shape, dtype, sharding, norm, statistics)."""

from __future__ import annotations

import math
from html import escape

import numpy as np

__all__ = ["WeightsView", "histogram_svg", "weights_view"]

_BACKENDS = ("html", "treescope")
_BOX = "font-size:13px;color:inherit;font-family:inherit;line-height:1.4;"
_CELL = ("padding:2px 8px;border-bottom:1px solid rgba(127,127,127,0.25);text-align:right;"
         "vertical-align:middle;white-space:nowrap;")
_HEAD = ("padding:3px 8px;border-bottom:2px solid rgba(127,127,127,0.5);text-align:right;"
         "font-weight:600;background:rgba(127,127,127,0.10);white-space:nowrap;")
_LEFT = ("layer", "path", "shape", "dtype", "sharding", "histogram")
_BAR = "#3b82f6"
_COLUMNS = ("layer", "path", "shape", "dtype", "sharding", "trainable", "L2 norm", "min",
            "max", "mean", "std")


def weights_view(model, histograms=False, backend="html", bins=24):
    """Inspects a model's variables: one row each, in the order of `model.weights`.

    Each row holds the layer, the variable's path, shape, dtype, sharding (from the
    `jax.Array`'s `sharding`), whether it is trainable, its L2 norm and its min, max, mean and
    std. In a notebook the returned object shows as a static HTML table (no scripts, so a saved
    notebook keeps it); in a terminal as text. `backend="treescope"` renders the model's
    state (the arrays by path, trainable and non-trainable) with treescope instead, an optional
    dependency. `model.inspect_weights(...)` is the
    same call. The table is a snapshot: it holds the values as they were when it was made
    (statistics and histograms), not copies of the arrays.

    Args:
        model: A `Model` or `Layer` (built: its variables must exist).
        histograms: Whether each row of the HTML table gets a small inline-SVG histogram of
            the variable's values.
        backend: `"html"` (the table) or `"treescope"`.
        bins: Number of histogram bins.

    Returns:
        A `WeightsView`: `rows` (a list of dicts, the plain data), `_repr_html_` and a text
        `__repr__`.

    Raises:
        ValueError: if `backend` is unknown, `bins` is not a positive integer or the model
            is not built.
        ImportError: if `backend="treescope"` and treescope is not installed.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)])
        >>> view = weights_view(model)
        >>> [row["path"] for row in view.rows]
        ['dense/kernel', 'dense/bias']
        >>> view.rows[0]["shape"], view.rows[0]["trainable"]
        ((3, 2), True)
    """
    if backend not in _BACKENDS:
        raise ValueError(
            f"weights_view: unknown backend. Expected one of {_BACKENDS}. Received: "
            f"backend={backend!r}. Pass 'html' (the default) or 'treescope'."
        )
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(
            "weights_view: `bins` must be a positive integer. Received: "
            f"bins={bins!r}. Pass e.g. bins=24."
        )
    if backend == "treescope":
        _require_treescope()
    return WeightsView(model, histograms=histograms, backend=backend, bins=bins)


class WeightsView:
    """What `weights_view` returns: the rows of a model's variables and their renderings.

    Args:
        model: A built `Model` or `Layer`.
        histograms: Whether the HTML table shows a histogram per row.
        backend: `"html"` or `"treescope"`.
        bins: Number of histogram bins.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2, use_bias=False)])
        >>> view = WeightsView(model)
        >>> len(view.rows), view.rows[0]["layer"]
        (1, 'dense')
        >>> "<svg" in WeightsView(model, histograms=True)._repr_html_()
        True
    """

    def __init__(self, model, histograms=False, backend="html", bins=24):
        self.model = model
        self.histograms = bool(histograms)
        self.backend = backend
        self.bins = int(bins)
        if not getattr(model, "built", True):
            raise ValueError(
                f"weights_view: {type(model).__name__} '{getattr(model, 'name', '')}' is not "
                "built, so it has no variables yet. Expected a built model. Received: "
                "model.built=False. Call `model.build(input_shape)` or call the model on data "
                "first."
            )
        self._svgs = []  # the histograms, drawn now (a snapshot, like the rows)
        self.rows = []
        for layer, variable in _variables(model):
            array = variable[...]
            values = np.asarray(array)
            self._svgs.append(histogram_svg(values, self.bins) if self.histograms else "")
            self.rows.append({
                "layer": layer, "path": str(variable.path), "shape": tuple(values.shape),
                "dtype": str(values.dtype), "sharding": _describe_sharding(array),
                "trainable": bool(variable.trainable), **_statistics(values)})

    def _repr_html_(self) -> str:
        if self.backend == "treescope":
            return _require_treescope().render_to_html(self._state_tree())
        columns = _COLUMNS + (("histogram",) if self.histograms else ())
        head = "".join(f"<th style='{_HEAD}{_align(c)}'>{escape(c)}</th>" for c in columns)
        body = "".join(self._row_html(row, svg)
                       for row, svg in zip(self.rows, self._svgs, strict=True))
        return (f"<div style='{_BOX}'><div style='margin:4px 0 2px 2px;opacity:0.8'>"
                f"{escape(self._caption())}</div><table style='border-collapse:collapse;"
                f"font-size:12px;color:inherit;background:transparent'><thead><tr>{head}</tr>"
                f"</thead><tbody>{body}</tbody></table></div>")

    def _state_tree(self) -> dict:
        """The variables' arrays by path, trainable first: what treescope renders."""
        tree = {"trainable": {}, "non_trainable": {}}
        for _, variable in _variables(self.model):
            group = "trainable" if variable.trainable else "non_trainable"
            tree[group][str(variable.path)] = variable[...]
        return {k: v for k, v in tree.items() if v}

    def _row_html(self, row, svg) -> str:
        cells = [row["layer"], row["path"], _shape(row["shape"]), row["dtype"],
                 row["sharding"], "yes" if row["trainable"] else "no",
                 *(_number(row[k]) for k in ("norm", "min", "max", "mean", "std"))]
        tds = [f"<td style='{_CELL}{_align(c)}'>{escape(v)}</td>"
               for c, v in zip(_COLUMNS, cells, strict=True)]
        if self.histograms:
            tds.append(f"<td style='{_CELL}'>{svg}</td>")
        muted = "" if row["trainable"] else " style='opacity:0.75'"
        return f"<tr{muted}>{''.join(tds)}</tr>"

    def _caption(self) -> str:
        total = sum(int(np.prod(r["shape"])) for r in self.rows)
        trainable = sum(int(np.prod(r["shape"])) for r in self.rows if r["trainable"])
        return (f"{_count(len(self.rows), 'variable')}, {_count(total, 'value')} "
                f"({trainable:,} trainable)")

    def __repr__(self) -> str:
        if self.backend == "treescope":
            return _require_treescope().render_to_text(self._state_tree())
        table = [list(_COLUMNS)] + [
            [r["layer"], r["path"], _shape(r["shape"]), r["dtype"], r["sharding"],
             "yes" if r["trainable"] else "no",
             *(_number(r[k]) for k in ("norm", "min", "max", "mean", "std"))]
            for r in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(_COLUMNS))]
        lines = ["  ".join(v.ljust(w) if c in _LEFT else v.rjust(w)
                           for c, v, w in zip(_COLUMNS, line, widths, strict=True)).rstrip()
                 for line in table]
        return "\n".join([self._caption(), *lines])


def histogram_svg(values, bins: int = 24, width: int = 120, height: int = 24) -> str:
    """A small inline SVG bar chart of the finite values' histogram; `""` when there are none.

    Args:
        values: An array of numbers.
        bins: Number of bars.
        width: Width in pixels.
        height: Height in pixels.

    Returns:
        The `<svg>` element as a string (no scripts).

    Example:
        >>> histogram_svg([0.0, 1.0, 1.0, 2.0], bins=3).startswith("<svg")
        True
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    flat = flat[np.isfinite(flat)]
    if flat.size == 0:
        return ""
    counts, edges = np.histogram(flat, bins=bins)
    peak = counts.max()
    step = (width - 2) / bins
    bars = "".join(
        f"<rect x='{1 + i * step:.1f}' y='{height - 1 - (height - 2) * c / peak:.1f}' "
        f"width='{max(step - 0.5, 0.5):.1f}' height='{(height - 2) * c / peak:.1f}'/>"
        for i, c in enumerate(counts) if c)
    label = f"{flat.size} values in [{_number(edges[0])}, {_number(edges[-1])}]"
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='histogram' style='vertical-align:middle'><title>{escape(label)}"
            f"</title><line x1='0' y1='{height - 0.5}' x2='{width}' y2='{height - 0.5}' "
            f"stroke='rgba(127,127,127,0.5)'/><g fill='{_BAR}'>{bars}</g></svg>")


def _variables(model):
    """(layer name, variable) pairs in `model.weights` order, each variable once."""
    owner = {}
    for layer in getattr(model, "layers", None) or []:
        for variable in layer.weights:
            owner.setdefault(id(variable), layer.name)
    return [(owner.get(id(v), getattr(model, "name", "")), v) for v in model.weights]


def _statistics(values: np.ndarray) -> dict:
    if values.size == 0:
        return dict.fromkeys(("norm", "min", "max", "mean", "std"), None)
    flat = values.astype(np.float64).ravel()
    return {"norm": float(np.sqrt(np.sum(flat * flat))), "min": float(flat.min()),
            "max": float(flat.max()), "mean": float(flat.mean()), "std": float(flat.std())}


def _describe_sharding(array) -> str:
    sharding = getattr(array, "sharding", None)
    if sharding is None:
        return ""
    devices = sorted(sharding.device_set, key=lambda d: d.id)
    spec = getattr(sharding, "spec", None)
    if spec is not None and getattr(sharding, "mesh", None) is not None:
        axes = ",".join(f"{k}={v}" for k, v in sharding.mesh.shape.items())
        return f"mesh({axes}) {spec}"
    if len(devices) == 1:
        return f"{devices[0].platform}:{devices[0].id}"
    kind = "replicated" if sharding.is_fully_replicated else type(sharding).__name__
    return f"{kind} x{len(devices)}"


def _align(column: str) -> str:
    return "text-align:left;" if column in _LEFT else ""


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _number(value) -> str:
    if value is None or not math.isfinite(value):
        return "" if value is None else str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.4f}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _require_treescope():
    try:
        import treescope
    except ImportError as error:
        raise ImportError(
            "weights_view: backend='treescope' needs the optional treescope package, which is "
            "not installed. Install it with `pip install treescope`, or use backend='html'."
        ) from error
    return treescope
