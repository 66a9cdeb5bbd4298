"""The figure behind the gallery plots: a grid of image axes, then save, show or return it.

Built on matplotlib's object-oriented API (a `Figure` with an Agg canvas, no pyplot state),
as `kernelkit.display` is; in a notebook a shown figure is displayed inline as a PNG.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kernelkit.display.environment import is_notebook

__all__ = ["finish_figure", "image_grid", "to_uint8_range"]


def to_uint8_range(images, value_range):
    """Maps `images` from `value_range` to [0, 255] (as Keras's galleries do), float32.

    Example:
        >>> to_uint8_range(np.array([0.0, 0.5, 1.0]), (0, 1)).tolist()
        [0.0, 127.5, 255.0]
    """
    images = np.asarray(images, dtype="float32")
    low, high = value_range
    if (low, high) == (0, 255):
        return images
    scaled = (images - low) / (high - low) * 255.0
    return np.clip(scaled, 0, 255)


def image_grid(rows, cols, scale):
    """A new figure with a `rows x cols` grid of axes, `scale` inches per image.

    Returns:
        `(figure, axes)` with `axes` a 2D array.

    Example:
        >>> figure, axes = image_grid(2, 3, 1)
        >>> axes.shape
        (2, 3)
    """
    figure = Figure(figsize=(cols * scale, rows * scale), frameon=False, layout="tight")
    FigureCanvasAgg(figure)
    axes = figure.subplots(nrows=rows, ncols=cols, squeeze=False, sharex="row", sharey="col")
    figure.subplots_adjust(wspace=0, hspace=0)
    return figure, axes


def finish_figure(figure, path=None, show=None, transparent=True, dpi=60):
    """Saves the figure to `path`, or shows it inline in a notebook, or returns it.

    Args:
        figure: The `matplotlib.figure.Figure`.
        path: Optional file to save to (no display then).
        show: Whether to display it; `None` means "when no path is given".
        transparent: Whether the saved background is transparent.
        dpi: Resolution of the saved or shown image.

    Returns:
        `None` once saved or displayed in a notebook; otherwise the figure, so a script can
        save it (`figure.savefig(...)`).

    Example:
        >>> figure, _ = image_grid(1, 1, 1)
        >>> finish_figure(figure) is figure  # outside a notebook: returned
        True
    """
    show = path is None if show is None else show
    if path is not None:
        figure.savefig(path, pad_inches=0, bbox_inches="tight", transparent=transparent,
                       dpi=dpi)
        return None
    if show and is_notebook():
        from IPython.display import Image, display

        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight", transparent=transparent,
                       dpi=dpi)
        display(Image(data=buffer.getvalue()))
        return None
    return figure
