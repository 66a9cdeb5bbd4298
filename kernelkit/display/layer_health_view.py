"""The layer-health panel: per-layer weight norms, gradient norms and update ratios as data,
then as a heat-strip table (HTML) or text, with the layers whose gradients vanish or explode
or whose values are NaN/inf named.

`LayerHealth` holds one step's numbers (made by the training loop from statistics gathered
inside the jitted step); `LayerHealthHistory` keeps a bounded series of them for the strips.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from kernelkit.display.progress_html import format_value

__all__ = ["EXPLODING_GRADIENT_NORM", "VANISHING_GRADIENT_NORM", "LayerHealth",
           "LayerHealthHistory", "layer_health_html", "layer_health_text"]

#: A layer whose gradient norm is below this is flagged as having vanishing gradients.
VANISHING_GRADIENT_NORM = 1e-7
#: A layer whose gradient norm is above this is flagged as having exploding gradients.
EXPLODING_GRADIENT_NORM = 1e3

# viridis at 0, 1/4, 1/2, 3/4, 1: reads on light and dark backgrounds
_RAMP = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]],
                 dtype=float)
_BAD = "#d62728"  # NaN / inf
_EMPTY = "rgba(127,127,127,0.25)"  # exactly zero, or no value
_STRIP_WIDTH = 120  # pixels
_CELL = "padding:1px 6px;border-bottom:1px solid rgba(127,127,127,0.25);"
_QUANTITIES = (("weight_norm", "‖w‖"), ("gradient_norm", "‖grad‖"),
               ("update_ratio", "‖update‖/‖w‖"))


@dataclass(frozen=True)
class LayerHealth:
    """One training step's per-layer numbers (host arrays, one entry per layer).

    Attributes:
        names: The layers' paths (`dense`, `block/conv`), in weight order.
        weight_norm: L2 norm of each layer's trainable weights (before the step's update).
        gradient_norm: L2 norm of each layer's gradients.
        update_norm: L2 norm of the optimizer's update to the layer's weights.
        weights_finite: Whether all of the layer's weights are finite.
        gradients_finite: Whether all of its gradients are finite.

    Example:
        >>> health = LayerHealth.from_sums(["d"], [[4.0], [1e-16], [1e-4], [1.0], [1.0]])
        >>> float(health.weight_norm[0]), health.problems()
        (2.0, [('d', 'vanishing gradients (norm 1.000e-08)')])
    """

    names: tuple
    weight_norm: np.ndarray
    gradient_norm: np.ndarray
    update_norm: np.ndarray
    weights_finite: np.ndarray
    gradients_finite: np.ndarray

    @classmethod
    def from_sums(cls, names, sums) -> LayerHealth:
        """From the step's `(5, layers)` array: sums of squares of weights, gradients and
        updates, then the two finite flags (1 or 0).

        Args:
            names: The layer names.
            sums: The array (or nested list).

        Returns:
            A `LayerHealth`.
        """
        sums = np.asarray(sums, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            w, g, u = (np.sqrt(s) for s in sums[:3])
        return cls(tuple(names), w, g, u, sums[3] > 0.5, sums[4] > 0.5)

    @property
    def update_ratio(self) -> np.ndarray:
        """`‖update‖ / ‖w‖` per layer (NaN where the weights are all zero)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.weight_norm > 0, self.update_norm / self.weight_norm, np.nan)

    def problems(self, vanishing=VANISHING_GRADIENT_NORM, exploding=EXPLODING_GRADIENT_NORM):
        """The flagged layers, as `(name, what)` pairs in layer order.

        Args:
            vanishing: Gradient norms below this are flagged as vanishing.
            exploding: Gradient norms above this are flagged as exploding.

        Returns:
            A list of `(layer name, description)`.
        """
        found = []
        for i, name in enumerate(self.names):
            g = self.gradient_norm[i]
            if not self.weights_finite[i]:
                found.append((name, "NaN/inf in weights"))
            elif not self.gradients_finite[i] or not np.isfinite(g):
                found.append((name, "NaN/inf in gradients"))
            elif g < vanishing:
                found.append((name, f"vanishing gradients (norm {format_value(g)})"))
            elif g > exploding:
                found.append((name, f"exploding gradients (norm {format_value(g)})"))
        return found


class LayerHealthHistory:
    """A bounded series of `LayerHealth` samples, oldest first, for the heat strips.

    When full, every other old sample is dropped, so the strips always span the whole run. The
    first sample with NaN/inf values is remembered with its label (where the values first went
    bad: later steps usually spread them to every layer).

    Args:
        capacity: Most samples kept (the strips' width in cells).

    Example:
        >>> history = LayerHealthHistory(capacity=4)
        >>> for i in range(9):
        ...     history.add(LayerHealth.from_sums(["d"], [[i + 1.0], [1], [1], [1], [1]]))
        >>> len(history.samples) <= 4, float(history.latest.weight_norm[0])
        (True, 3.0)
    """

    def __init__(self, capacity: int = 40):
        self.capacity = int(capacity)
        self.samples: list[LayerHealth] = []
        self.first_nonfinite: tuple[str, list] | None = None  # (label, problems)

    @property
    def latest(self) -> LayerHealth | None:
        """The newest sample (None before the first)."""
        return self.samples[-1] if self.samples else None

    def add(self, health: LayerHealth, label: str = "") -> None:
        """Appends a sample (after thinning the older ones when full).

        Args:
            health: The new `LayerHealth`.
            label: Where in the run it was taken (`"epoch 2, step 40"`), for the NaN note.
        """
        if self.samples and self.samples[-1].names != health.names:
            self.samples, self.first_nonfinite = [], None  # another model: start again
        # the layers whose weights went bad come first: the likely source
        bad = sorted((p for p in health.problems() if p[1].startswith("NaN")),
                     key=lambda p: "weights" not in p[1])
        if bad and self.first_nonfinite is None:
            self.first_nonfinite = (label, bad)
        if len(self.samples) >= self.capacity:
            self.samples = self.samples[::-2][::-1]  # every other one, the newest kept
        self.samples.append(health)


def _colors(values: np.ndarray, low: float, high: float) -> list[str]:
    """CSS colours of `values` on a log scale from `low` to `high`."""
    out = []
    span = max(high - low, 1e-12)
    for v in values:
        if not np.isfinite(v):
            out.append(_EMPTY if np.isnan(v) else _BAD)  # NaN: no ratio (zero weights)
        elif v <= 0:
            out.append(_EMPTY)
        else:
            t = min(max((np.log10(v) - low) / span, 0.0), 1.0) * (len(_RAMP) - 1)
            i = min(int(t), len(_RAMP) - 2)
            r, g, b = _RAMP[i] + (t - i) * (_RAMP[i + 1] - _RAMP[i])
            out.append(f"#{int(r):02x}{int(g):02x}{int(b):02x}")
    return out


def _series(samples, quantity: str, layer: int) -> np.ndarray:
    values = np.array([getattr(s, quantity)[layer] for s in samples], dtype=np.float64)
    bad = np.array([not (s.weights_finite[layer] and s.gradients_finite[layer]) for s in samples])
    values[bad] = np.inf  # shown red
    return values


def _strip(colors: list[str]) -> str:
    """One heat strip: the samples side by side over its whole width, as hard stops of a CSS
    gradient (one element however many samples)."""
    width = 100.0 / len(colors)
    stops = ",".join(f"{c} {i * width:.2f}% {(i + 1) * width:.2f}%" for i, c in enumerate(colors))
    return (f"<div style='width:{_STRIP_WIDTH}px;height:11px;border-radius:2px;"
            f"background:linear-gradient(to right,{stops})'></div>")


def _log_range(samples, quantity: str) -> tuple[float, float]:
    values = np.concatenate([getattr(s, quantity) for s in samples])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return 0.0, 1.0
    return float(np.log10(values.min())), float(np.log10(values.max()))


def layer_health_html(history: LayerHealthHistory, vanishing=VANISHING_GRADIENT_NORM,
                      exploding=EXPLODING_GRADIENT_NORM) -> str:
    """The panel: a row per layer with a heat strip and the latest value of each quantity.

    Colours are log scale per quantity over the whole history (viridis); red cells are NaN/inf;
    grey cells are exactly zero. Flagged layers are named below the table.

    Args:
        history: The `LayerHealthHistory`.
        vanishing: Threshold of the vanishing-gradient flag.
        exploding: Threshold of the exploding-gradient flag.

    Returns:
        An HTML string (`""` before the first sample).

    Example:
        >>> history = LayerHealthHistory()
        >>> history.add(LayerHealth.from_sums(["d"], [[4.0], [1.0], [1e-4], [1.0], [0.0]]))
        >>> "NaN/inf in gradients" in layer_health_html(history)
        True
    """
    latest = history.latest
    if latest is None:
        return ""
    samples, flagged = history.samples, dict(latest.problems(vanishing, exploding))
    ranges = {q: _log_range(samples, q) for q, _ in _QUANTITIES}
    head = "".join(f"<th style='{_CELL}text-align:left' colspan='2'>{label}</th>"
                   for _, label in _QUANTITIES)
    rows = []
    for i, name in enumerate(latest.names):
        cells = [f"<td style='{_CELL}'>{escape(name)}</td>"]
        for quantity, _ in _QUANTITIES:
            series = _series(samples, quantity, i)
            strip = _strip(_colors(series, *ranges[quantity]))
            cells.append(f"<td style='{_CELL}'>{strip}</td><td style='{_CELL}text-align:right;"
                         f"font-variant-numeric:tabular-nums'>{_number(series[-1])}</td>")
        problem = flagged.get(name)
        status = (f"<span style='color:{_BAD};font-weight:600'>⚠ {escape(problem)}</span>"
                  if problem else "<span style='opacity:0.6'>ok</span>")
        rows.append("<tr>" + "".join(cells) + f"<td style='{_CELL}'>{status}</td></tr>")
    note = _summary(flagged, len(latest.names), history.first_nonfinite)
    return ("<div style='font-size:12px;line-height:1.3;margin-top:6px'>"
            "<div style='margin:2px 0 2px 2px;opacity:0.8'>Layer health (strips: oldest to "
            "newest, log colour scale per column; red: NaN/inf)</div>"
            "<table style='border-collapse:collapse;font-size:12px;color:inherit;"
            f"background:transparent'><thead><tr><th style='{_CELL}text-align:left'>layer</th>"
            f"{head}<th style='{_CELL}text-align:left'>status</th></tr></thead><tbody>"
            f"{''.join(rows)}</tbody></table>{note}</div>")


def _number(value) -> str:
    return "–" if np.isnan(value) else ("NaN/inf" if not np.isfinite(value)
                                        else format_value(value))


def _summary(flagged: dict, count: int, first_nonfinite) -> str:
    first = ""
    if first_nonfinite is not None:
        label, found = first_nonfinite
        where = f" ({escape(label)})" if label else ""
        first = (f"<div style='margin:2px;color:{_BAD}'>First NaN/inf{where}: "
                 + ", ".join(f"<b>{escape(n)}</b> ({escape(p)})" for n, p in found) + "</div>")
    if not flagged:
        return first + f"<div style='margin:2px;opacity:0.8'>All {count} layers healthy.</div>"
    names = ", ".join(f"<b>{escape(n)}</b> ({escape(p)})" for n, p in flagged.items())
    return f"<div style='margin:2px;color:{_BAD}'>Check: {names}</div>{first}"


def layer_health_text(health: LayerHealth | None, vanishing=VANISHING_GRADIENT_NORM,
                      exploding=EXPLODING_GRADIENT_NORM, first_nonfinite=None) -> str:
    """The panel as text: a line per flagged layer, or one line saying all are healthy.

    Args:
        health: The latest `LayerHealth` (None: `""`).
        vanishing: Threshold of the vanishing-gradient flag.
        exploding: Threshold of the exploding-gradient flag.
        first_nonfinite: A `LayerHealthHistory.first_nonfinite` to name as well, or None.

    Returns:
        A string.

    Example:
        >>> print(layer_health_text(LayerHealth.from_sums(["d"], [[4.0], [1.0], [1e-4], [1], [1]])))
        Layer health: all 1 layers healthy.
    """
    if health is None:
        return ""
    found = health.problems(vanishing, exploding)
    first = ""
    if first_nonfinite is not None:
        label, bad = first_nonfinite
        first = (f" First NaN/inf{f' ({label})' if label else ''}: "
                 + "; ".join(f"{name}: {what}" for name, what in bad) + ".")
    if not found:
        return f"Layer health: all {len(health.names)} layers healthy.{first}"
    return "Layer health: " + "; ".join(f"{n}: {what}" for n, what in found) + "." + first
