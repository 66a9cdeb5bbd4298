"""HTML summary, notebook dispatch of `summary()`, model reprs, and text/HTML snapshots."""

import os
import re
from pathlib import Path

import numpy as np
import pytest
from IPython.lib.pretty import pretty

import kernelkit as kk
from kernelkit import layers
from kernelkit.display import set_display_mode, summary_view
from kernelkit.display.summary_html import summary_html

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _check_snapshot(name: str, text: str) -> None:
    """Compares with the stored snapshot; `KK_UPDATE_SNAPSHOTS=1` rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("KK_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing snapshot {name}: run with KK_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def _nested_functional():
    a, b = kk.Input((8,), name="a"), kk.Input((4,), name="b")
    shared = layers.Dense(4, name="shared")
    x = layers.Concatenate(name="cat")([shared(a), layers.Dense(4, name="proj")(b)])
    inner = kk.Sequential([kk.Input((8,)), layers.Dense(3, name="in1"),
                           layers.BatchNormalization(name="bn"), layers.Dense(2, name="in2")],
                          name="inner")
    y = inner(x)
    return kk.Model([a, b], [y, shared(layers.Dense(8, name="back")(y))], name="multi")


def _sequential():
    return kk.Sequential([kk.Input((16,)), layers.Dense(8, name="hidden"),
                          layers.Dense(2, name="logits")], name="small")


@pytest.fixture
def notebook(monkeypatch):
    shown = []
    monkeypatch.setattr(summary_view, "publish", lambda html, text: shown.append((html, text)))
    set_display_mode("notebook")
    yield shown
    set_display_mode("auto")


def test_snapshots_text_and_html():
    model = _nested_functional()
    lines = []
    model.summary(print_fn=lines.append, expand_nested=True, show_trainable=True)
    _check_snapshot("multi_expanded.txt", "\n".join(lines) + "\n")
    _check_snapshot("multi_folded.html", summary_html(model) + "\n")
    _check_snapshot("small.html", summary_html(_sequential(), show_bytes=True,
                                               show_dtype=True) + "\n")


def test_html_is_static_and_lists_every_layer_with_totals():
    model = _nested_functional()
    html = summary_html(model)
    assert "<script" not in html and " id=" not in html and "class=" not in html
    for layer in model.layers:
        assert f">{layer.name}</span>" in html
    assert f"{model.count_params():,}" in html and "Connected to" in html
    assert "shared[0][0]" in html and "back[0][0]" in html


def test_nested_models_fold_into_details_open_when_expanded():
    model = _nested_functional()
    folded, opened = summary_html(model), summary_html(model, expand_nested=True)
    assert "<details>" in folded and "<details open>" not in folded
    assert "<details open>" in opened
    assert ">in1</span>" in folded  # inner rows are there, folded


def test_optional_columns_in_both_forms():
    model = _sequential()
    html = summary_html(model, show_trainable=True, show_bytes=True, show_dtype=True)
    assert all(f">{c}</th>" in html for c in ("Trainable", "Param bytes", "dtype"))
    assert "544.00 B" in html and "float32" in html  # hidden: 16 * 8 + 8 params of 4 bytes
    lines = []
    model.summary(print_fn=lines.append, show_bytes=True, show_dtype=True)
    header = next(line for line in lines if "Layer (type)" in line)
    assert "Param bytes" in header and "dtype" in header
    assert re.search(r"544\.00 B │ float32", next(x for x in lines if "hidden" in x))


def test_line_length_and_positions_shape_the_html_table():
    html = summary_html(_sequential(), line_length=90, positions=[0.5, 0.8, 1.0])
    assert "width:90ch" in html and "table-layout:fixed" in html
    assert re.findall(r"<col style='width:([\d.]+)%'>", html) == ["50.0", "30.0", "20.0"]


def test_layer_range_in_html():
    html = summary_html(_sequential(), layer_range=("logits", "logits"))
    assert ">logits</span>" in html and ">hidden</span>" not in html
    with pytest.raises(ValueError, match="no layer matches 'nope'"):
        summary_html(_sequential(), layer_range=("nope", "logits"))


def test_optimizer_params_once_trained():
    model = _sequential()
    assert "Optimizer params" not in summary_html(model)
    model.compile("adam", "mse")
    model.fit(np.ones((4, 16)), np.ones((4, 2)), verbose=0)
    html = summary_html(model)
    # adam keeps two moments per parameter, plus its step counters
    count = int(re.search(r"Optimizer params:</span> ([\d,]+)", html)[1].replace(",", ""))
    assert 2 * model.count_params() <= count <= 2 * model.count_params() + 8
    lines = []
    model.summary(print_fn=lines.append)
    assert any(line.startswith(f" Optimizer params: {count:,}") for line in lines)


def test_summary_in_a_notebook_displays_html_and_prints_nothing(notebook, capsys):
    model = _nested_functional()
    model.summary(expand_nested=True)
    assert capsys.readouterr().out == ""
    (html, text), = notebook
    assert html.startswith("<div") and "<details open>" in html
    assert text.splitlines()[0] == 'Model: "multi"' and "in1 (Dense)" in text


def test_print_fn_wins_in_a_notebook(notebook):
    lines = []
    _sequential().summary(print_fn=lines.append)
    assert not notebook and lines[0] == 'Model: "small"'


def test_summary_in_text_mode_prints(capsys):
    set_display_mode("text")
    try:
        _sequential().summary()
    finally:
        set_display_mode("auto")
    assert "Total params: 154" in capsys.readouterr().out


def test_unbuilt_summary_still_raises_in_a_notebook(notebook):
    with pytest.raises(ValueError, match="has not been built yet"):
        kk.Sequential([layers.Dense(3)]).summary()


def test_repr_html_and_pretty_text_show_the_table():
    model = _nested_functional()
    assert model._repr_html_() == summary_html(model)
    text = pretty(model)
    assert text.splitlines()[0] == 'Model: "multi"' and "Total params" in text
    assert repr(model) == "<Functional name=multi, built=True>"


def test_unbuilt_model_repr_is_a_note_not_an_error():
    model = kk.Sequential([layers.Dense(3, name="d")], name="later")
    html = model._repr_html_()
    assert "is not built yet" in html and "Layers so far: d." in html
    assert "not built yet" in pretty(model)
