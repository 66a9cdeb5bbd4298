"""Text summary: catalogue 3.14 (print_fn, line_length, positions, options, errors)."""

import re

import pytest

import kernelkit as kk
from kernelkit import layers
from kernelkit.display.summary import summary_table


def _sequential():
    return kk.Sequential([kk.Input((500,)), layers.Dense(32, name="dense_1"),
                          layers.Dense(16, name="dense_2"), layers.Dense(4, name="dense_3")])


def _lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines


def test_print_fn_gets_one_call_per_line_and_stdout_stays_empty(capsys):
    lines = _lines(_sequential())
    assert len(lines) > 5 and all("\n" not in line for line in lines)
    assert capsys.readouterr().out == ""


def test_summary_prints_to_stdout_by_default(capsys):
    _sequential().summary()
    assert "Total params" in capsys.readouterr().out


def test_rows_list_every_layer_and_total_equals_count_params():
    model = _sequential()
    text = "\n".join(_lines(model))
    for layer in model.layers:
        assert f"{layer.name} ({type(layer).__name__})" in text
    assert f"Total params: {model.count_params():,}" in text
    assert "(None, 32)" in text and "16,032" in text
    table = summary_table(model)
    assert [r.params for r in table.rows] == [16032, 528, 68]


@pytest.mark.parametrize("line_length", [60, 80, 120])
def test_no_line_longer_than_line_length(line_length):
    x = kk.Input((3,), name="an_input_with_a_really_quite_long_name_indeed")
    y = layers.Dense(2, name="a_dense_layer_with_an_even_longer_name_than_the_input")(x)
    for line in _lines(kk.Model(x, y), line_length=line_length):
        assert len(line) <= line_length


def test_default_and_custom_positions_set_column_starts():
    model = _sequential()
    header = next(line for line in _lines(model, line_length=100) if "Layer (type)" in line)
    assert header.index("Output Shape") == int(0.3 * 100) + 2
    custom = next(line for line in _lines(model, line_length=100, positions=[0.5, 0.8, 1.0])
                  if "Layer (type)" in line)
    assert custom.index("Output Shape") == int(0.5 * 100) + 2


def test_show_trainable_marks_frozen_layers():
    model = _sequential()
    model.get_layer("dense_2").trainable = False
    lines = _lines(model, show_trainable=True)
    assert any("Trainable" in line for line in lines)
    row = next(line for line in lines if "dense_2 (Dense)" in line)
    assert re.search(r"│ N\s*│$", row)
    other = next(line for line in lines if "dense_1 (Dense)" in line)
    assert re.search(r"│ Y\s*│$", other)


def test_expand_nested_lists_inner_layers():
    inner = kk.Sequential([kk.Input((4,)), layers.Dense(3, name="inner_dense")], name="inner")
    x = kk.Input((4,))
    outer = kk.Model(x, layers.Dense(1)(inner(x)))
    folded = "\n".join(_lines(outer))
    assert "inner (Sequential)" in folded and "inner_dense" not in folded
    assert "inner_dense (Dense)" in "\n".join(_lines(outer, expand_nested=True))


def test_layer_range_by_name_and_regex():
    model = _sequential()
    text = "\n".join(_lines(model, layer_range=("dense_1", "dense_2")))
    assert "dense_1 (Dense)" in text and "dense_2 (Dense)" in text and "dense_3" not in text
    text = "\n".join(_lines(model, layer_range=(r"dense_[23]", r"dense_\d")))
    assert "dense_1" not in text and "dense_2 (Dense)" in text and "dense_3 (Dense)" in text


@pytest.mark.parametrize("bad, message", [
    (("dense_1",), "must be a list or tuple of two"),
    (("nothing", "dense_2"), "no layer matches 'nothing'"),
    (("dense_3", "dense_1"), "starts at 'dense_3', after it ends"),
])
def test_bad_layer_range_raises(bad, message):
    with pytest.raises(ValueError, match=message):
        _sequential().summary(layer_range=bad, print_fn=lambda _: None)


def test_functional_summary_has_connected_to_column():
    a, b = kk.Input((3,), name="a"), kk.Input((3,), name="b")
    m = kk.Model([a, b], layers.Dense(2, name="d")(a) + layers.Dense(2, name="e")(b))
    text = "\n".join(_lines(m))
    assert "Connected to" in text and "a[0][0]" in text and "d[0][0]" in text


def test_unbuilt_model_summary_raises():
    with pytest.raises(ValueError, match="has not been built yet"):
        kk.Sequential([layers.Dense(3)]).summary()
