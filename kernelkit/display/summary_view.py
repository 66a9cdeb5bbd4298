"""Choosing the summary's form: HTML in a notebook, text in a terminal or through `print_fn`."""

from __future__ import annotations

from kernelkit.display.environment import is_notebook, publish
from kernelkit.display.summary import render_text, summary_table
from kernelkit.display.summary_html import render_html, unbuilt_html

__all__ = ["model_repr_html", "model_repr_text", "show_summary"]


def show_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                 show_trainable=False, layer_range=None, show_bytes=False,
                 show_dtype=False) -> None:
    """Shows the summary: `print_fn` per text line when given, HTML in a notebook, else print.

    Raises:
        ValueError: if the model is not built, or `layer_range` is invalid.

    Example:
        >>> import kernelkit as kk
        >>> model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(2)], name="demo")
        >>> lines = []
        >>> show_summary(model, print_fn=lines.append)
        >>> lines[0]
        'Model: "demo"'
    """
    html = print_fn is None and is_notebook()
    table = summary_table(model, expand_nested=expand_nested, layer_range=layer_range)
    lines = render_text(table, line_length=line_length, positions=positions,
                        show_trainable=show_trainable, show_bytes=show_bytes,
                        show_dtype=show_dtype)
    if html:  # nested rows are always there in HTML, folded unless expand_nested
        folded = summary_table(model, expand_nested=True, layer_range=layer_range)
        publish(render_html(folded, line_length=line_length, positions=positions,
                            show_trainable=show_trainable, expand_nested=expand_nested,
                            show_bytes=show_bytes, show_dtype=show_dtype), "\n".join(lines))
        return
    emit = print_fn or print
    for text in lines:
        emit(text)


def model_repr_html(model) -> str:
    """What a notebook shows for a model: the HTML summary, nested models folded."""
    if not model.built:
        return unbuilt_html(model)
    return render_html(summary_table(model, expand_nested=True))


def model_repr_text(model) -> str:
    """The plain-text form of the same view (terminal IPython, saved notebooks' text/plain)."""
    if not model.built:
        return (f"<{type(model).__name__} name={model.name}, built=False> (not built yet: "
                "call build(input_shape) or call it on data to see its summary)")
    return "\n".join(render_text(summary_table(model)))
