"""`LiveView`: the one widget of a training run, updated in place, then replaced by static HTML.

The widget (progress line, curves image, layer-health panel, best-epoch table, Stop button) is
displayed once with a display id; later changes set widget values (never `clear_output`).
`finalize` swaps the display for static HTML with the curves as a PNG, so a saved notebook keeps
them without a kernel.
"""

from __future__ import annotations

from kernelkit.display.environment import show

__all__ = ["LIVE_VIEW_TEXT", "LiveView", "widgets_available"]

#: The live widget's text/plain form: what a frontend without widget support shows meanwhile.
LIVE_VIEW_TEXT = ("Training... (kernelkit's live view needs a frontend with ipywidgets: "
                  "JupyterLab, Notebook 7, VS Code. This output becomes the run's record "
                  "when training ends.)")


def widgets_available() -> bool:
    """Whether ipywidgets can be imported."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


class LiveView:
    """The live training widget.

    Args:
        on_stop: Called (no arguments) when the Stop button is clicked.

    Example:
        >>> view = LiveView(on_stop=lambda: None)
        >>> view.finalized
        False
    """

    def __init__(self, on_stop=None):
        self.on_stop = on_stop
        self.handle = None
        self.finalized = False
        self._box = None

    def open(self) -> None:
        """Builds and displays the widget (once)."""
        if self._box is not None:
            return
        import ipywidgets as widgets

        self.progress = widgets.HTML(value="<div style='font-size:13px'>Starting…</div>")
        # flex-start: at its own size, as the final record's PNG (the VBox would stretch it to
        # the output's width: blurred in Notebook 7's wide cells)
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            max_width="100%", align_self="flex-start"))
        self.best = widgets.HTML(value="")
        self.health = widgets.HTML(value="")  # the layer-health panel, when asked for
        self.button = widgets.Button(description="Stop", icon="stop", button_style="danger",
                                     tooltip="Stop training after the current step",
                                     layout=widgets.Layout(width="90px", flex="0 0 auto"))
        self.button.on_click(self._clicked)
        top = widgets.HBox([self.button, self.progress],
                           layout=widgets.Layout(align_items="flex-start"))
        self._box = widgets.VBox([top, self.image, self.health, self.best])
        # frontends that cannot render widgets show this, not the repr `VBox(children=(...`
        self._box._repr_mimebundle_ = _with_text(self._box._repr_mimebundle_, LIVE_VIEW_TEXT)
        self.handle = show(self._box, display_id=True)

    def _clicked(self, _button=None) -> None:
        self.button.disabled = True
        self.button.description = "Stopping"
        if self.on_stop is not None:
            self.on_stop()

    def set_progress(self, html: str) -> None:
        self.progress.value = html

    def set_curves(self, png: bytes) -> None:
        self.image.value = png

    def set_best(self, html: str) -> None:
        self.best.value = html

    def set_health(self, html: str) -> None:
        self.health.value = html

    def finalize(self, html: str, text: str) -> None:
        """Replaces the widget by static HTML (`text` is the plain-text form)."""
        if self.finalized or self._box is None:
            return
        self.finalized = True
        if self.handle is not None:
            self.handle.update({"text/html": html, "text/plain": text}, raw=True)
        self.image.value = b""  # a recorder of widget messages (nbclient) keeps no PNG
        _close_tree(self._box)  # no widget, layout or style left open in the kernel


def _with_text(mimebundle, text: str):
    """`mimebundle` (a widget's `_repr_mimebundle_`) with `text` as the text/plain form."""

    def with_text(**kwargs):
        return {**mimebundle(**kwargs), "text/plain": text}

    return with_text


def _close_tree(widget) -> None:
    """Closes a widget, its children and their layout and style widgets."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if part is not None:
            part.close()
    widget.close()
