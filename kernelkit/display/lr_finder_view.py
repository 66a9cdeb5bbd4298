"""The learning-rate finder's view: loss against learning rate (log scale), suggestion marked."""

from __future__ import annotations

import base64
import html
import io

import numpy as np

__all__ = ["lr_finder_png", "lr_finder_html", "lr_finder_text"]


def lr_finder_png(rates, losses, smoothed, suggestion, minimum_over_10) -> bytes:
    """A PNG of the sweep: raw and smoothed loss, the suggested rate and minimum / 10 marked."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(rates, losses, color="#9aa5b1", linewidth=1, alpha=0.7, label="loss per step")
    ax.plot(rates, smoothed, color="#3949ab", linewidth=2, label="smoothed loss")
    if suggestion is not None:
        ax.axvline(suggestion, color="#e53935", linestyle="--", linewidth=1.5,
                   label=f"steepest descent: {suggestion:.2e}")
    if minimum_over_10 is not None:
        ax.axvline(minimum_over_10, color="#fb8c00", linestyle=":", linewidth=1.5,
                   label=f"minimum / 10: {minimum_over_10:.2e}")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("loss")
    smoothed = np.asarray(smoothed, float)
    raw = np.asarray(losses, float)
    kept = np.isfinite(smoothed) & np.isfinite(raw)
    if kept.any():
        floor = np.nanmin(np.where(kept, smoothed, np.nan))
        kept &= smoothed <= 4 * floor + 1e-12  # leave out the divergence at the end
    if kept.any():
        values = np.concatenate([raw[kept], smoothed[kept]])
        low, high = float(values.min()), float(np.percentile(values, 98))
        pad = 0.05 * (high - low + 1e-12)
        ax.set_ylim(low - pad, high + pad)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="lower left")
    ax.set_title("Learning-rate finder", fontsize=11)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def lr_finder_text(suggestion, minimum_over_10, steps: int, start: float, stop: float) -> str:
    """The plain-text form (terminals, logs)."""
    lines = [f"Learning-rate finder: {steps} steps from {start:.1e} to {stop:.1e}."]
    lines.append("  suggested (steepest descent of the smoothed loss): "
                 + ("n/a" if suggestion is None else f"{suggestion:.3e}"))
    lines.append("  minimum of the smoothed loss / 10: "
                 + ("n/a" if minimum_over_10 is None else f"{minimum_over_10:.3e}"))
    return "\n".join(lines)


def lr_finder_html(png: bytes, text: str) -> str:
    """Static HTML: the plot as an inline PNG above the text (no scripts)."""
    image = base64.b64encode(png).decode("ascii")
    body = html.escape(text).replace("\n", "<br>")
    return (f'<div class="kk-lr-finder"><img alt="learning-rate finder" '
            f'src="data:image/png;base64,{image}"/><div style="font-family: monospace; '
            f'font-size: 12px">{body}</div></div>')
