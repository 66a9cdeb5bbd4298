"""Where output goes: a notebook (HTML, widgets) or a terminal/log (text), with an override."""

from __future__ import annotations

import sys

__all__ = ["display_mode", "execution_count", "is_notebook", "publish", "set_display_mode",
           "show"]

_MODES = ("auto", "notebook", "text")
_mode = "auto"


def set_display_mode(mode: str) -> None:
    """Chooses how kernelkit shows summaries and training: `"auto"`, `"notebook"` or `"text"`.

    `"auto"` (the default) detects a Jupyter kernel; `"text"` forces plain text (e.g. for logs
    captured from a notebook); `"notebook"` forces HTML and widgets.

    Args:
        mode: One of `"auto"`, `"notebook"`, `"text"`.

    Raises:
        ValueError: if `mode` is not one of the three.

    Example:
        >>> set_display_mode("text")
        >>> display_mode()
        'text'
        >>> set_display_mode("auto")
    """
    global _mode
    if mode not in _MODES:
        raise ValueError(
            f"set_display_mode: unknown display mode. Expected one of {_MODES}. "
            f"Received: mode={mode!r}. Pass 'notebook', 'text' or 'auto'."
        )
    _mode = mode


def display_mode() -> str:
    """The mode chosen with `set_display_mode` (`"auto"` unless changed).

    Example:
        >>> display_mode()
        'auto'
    """
    return _mode


def is_notebook() -> bool:
    """True in a Jupyter kernel (JupyterLab, classic, VS Code, Colab), or when forced.

    A terminal IPython and plain Python are not notebooks: they get text.

    Example:
        >>> is_notebook()  # doctests run outside a kernel
        False
    """
    if _mode != "auto":
        return _mode == "notebook"
    if "IPython" not in sys.modules:  # a kernel has always imported IPython already
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    if shell is None:
        return False
    name = type(shell).__name__
    if name == "ZMQInteractiveShell" or "google.colab" in sys.modules:
        return True
    # ipykernel subclasses (VS Code's and others') still derive from the ZMQ shell
    return any(c.__name__ == "ZMQInteractiveShell" for c in type(shell).__mro__)


def execution_count() -> int | None:
    """The number of the IPython cell running now (None outside IPython).

    Example:
        >>> execution_count() is None  # doctests run outside IPython
        True
    """
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return None if shell is None else shell.execution_count


def publish(html: str, text: str, display_id=None, update: bool = False):
    """Shows `html` (with `text` as the plain-text form) in the notebook; returns the handle.

    With `display_id=True` a new display is created and its `DisplayHandle` returned, so it can
    be updated in place later instead of clearing the cell.
    """
    from IPython.display import display

    bundle = {"text/html": html, "text/plain": text}
    if update:
        return display(bundle, raw=True, display_id=display_id, update=True)
    return display(bundle, raw=True, display_id=display_id)


def show(obj, display_id=None):
    """Displays an object (a widget, an HTML object) in the notebook; returns the handle."""
    from IPython.display import display

    return display(obj, display_id=display_id)
