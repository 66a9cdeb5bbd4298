"""`plot_model` / `model_to_dot`: graph data, DOT rendering, files, and life without `dot`."""

import graphviz
import pytest

import kernelkit as kk
from kernelkit import layers
from kernelkit.display import graph_dot
from kernelkit.display.graph import layer_graph


def _edges(graph):
    names = {n.id: n.name for n in graph.nodes}
    return {(names[e.source], names[e.target]) for e in graph.edges}


def _multi():
    a, b = kk.Input((8,), name="a"), kk.Input((4,), name="b")
    shared = layers.Dense(4, name="shared", activation="relu")
    x = layers.Concatenate(name="cat")([shared(a), layers.Dense(4, name="proj")(b)])
    inner = kk.Sequential([kk.Input((8,)), layers.Dense(3, name="in1"),
                           layers.Dense(2, name="in2")], name="inner")
    y = inner(x)
    return kk.Model([a, b], [y, shared(layers.Dense(8, name="back")(y))], name="multi")


class _Residual(kk.Model):
    def __init__(self):
        super().__init__(name="residual")
        self.d1, self.d2 = layers.Dense(4, name="d1"), layers.Dense(4, name="d2")
        self.head = layers.Dense(1, name="head")

    def call(self, x):
        h = self.d1(x)
        return self.head(self.d2(h) + h)


def test_sequential_is_a_chain_from_its_input():
    model = kk.Sequential([kk.Input((3,), name="x"), layers.Dense(4, name="d"),
                           layers.Dense(1, name="out")])
    graph = layer_graph(model)
    assert [n.name for n in graph.nodes] == ["x", "d", "out"]
    assert _edges(graph) == {("x", "d"), ("d", "out")}
    assert graph.nodes[1].output_shape == "(None, 4)"


def test_functional_shared_layer_is_one_node_with_several_edges():
    graph = layer_graph(_multi())
    assert [n.name for n in graph.nodes].count("shared") == 1
    edges = _edges(graph)
    assert {("a", "shared"), ("back", "shared"), ("shared", "cat"), ("proj", "cat"),
            ("cat", "inner"), ("inner", "back")} == edges - {("b", "proj")}


def test_expand_nested_makes_a_cluster_wired_to_the_inner_layers():
    graph = layer_graph(_multi(), expand_nested=True)
    assert graph.clusters == {("inner",): "inner (Sequential)"}
    inner_nodes = [n.name for n in graph.nodes if n.cluster == ("inner",)]
    assert inner_nodes == ["input_layer", "in1", "in2"]
    edges = _edges(graph)
    assert ("cat", "input_layer") in edges and ("in2", "back") in edges
    source = graph_dot.model_to_dot(_multi(), expand_nested=True).source
    assert "subgraph cluster_1" in source and 'label="inner (Sequential)"' in source


def test_subclassed_model_is_traced_with_inferred_links():
    model = _Residual()
    model.build((None, 3))
    graph = layer_graph(model)
    assert [n.name for n in graph.nodes] == ["d1", "d2", "head"]
    names = {n.id: n.name for n in graph.nodes}
    by_pair = {(names[e.source], names[e.target]): e.inferred for e in graph.edges}
    assert by_pair == {("d1", "d2"): False, ("d2", "head"): True}
    assert graph.nodes[0].output_shape == "(None, 4)"
    assert "style=dashed" in graph_dot.model_to_dot(model).source


def test_untraceable_subclassed_model_is_one_box():
    model = _Residual()  # not built: nothing to trace
    graph = layer_graph(model)
    assert [n.name for n in graph.nodes] == ["residual"] and graph.edges == []


def test_labels_follow_the_options():
    model = _multi()
    plain = graph_dot.model_to_dot(model).source
    assert "<b>shared</b> (Dense)" in plain and "in:" not in plain and "relu" not in plain
    full = graph_dot.model_to_dot(model, show_shapes=True, show_dtype=True,
                                  show_layer_activations=True, show_trainable=True,
                                  show_layer_names=False, rankdir="LR").source
    assert "<b>Dense</b>" in full and "<b>shared</b>" not in full
    assert "activation: relu" in full and "dtype: float32" in full and "trainable" in full
    assert "in: (None, 8)  →  out: (None, 4)" in full and "rankdir=LR" in full


def test_returns_a_digraph_and_writes_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dot = kk.utils.plot_model(_multi())
    assert isinstance(dot, graphviz.Digraph) and list(tmp_path.iterdir()) == []
    assert kk.utils.model_to_dot(_multi()).source == dot.source


@pytest.mark.parametrize("ext, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                        ("pdf", b"%PDF"), ("dot", b"digraph")])
def test_to_file_format_from_extension(tmp_path, ext, magic):
    path = tmp_path / f"model.{ext}"
    kk.utils.plot_model(_multi(), to_file=path, show_shapes=True, dpi=60)
    assert path.read_bytes().startswith(magic)


def test_png_uses_dpi(tmp_path):
    small, big = tmp_path / "small.png", tmp_path / "big.png"
    kk.utils.plot_model(_multi(), to_file=small, dpi=50)
    kk.utils.plot_model(_multi(), to_file=big, dpi=100)
    assert big.stat().st_size > small.stat().st_size


def test_bad_extension_and_rankdir_raise(tmp_path):
    with pytest.raises(ValueError, match=r"cannot write a \.jpg.*to_file="):
        kk.utils.plot_model(_multi(), to_file=tmp_path / "m.jpg")
    with pytest.raises(ValueError, match="unknown `rankdir`.*Received: rankdir='XY'"):
        kk.utils.plot_model(_multi(), rankdir="XY")


def test_inline_svg_in_a_notebook():
    bundle = kk.utils.plot_model(_multi())._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_without_dot_program_source_and_a_hint(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere on it
    dot = kk.utils.plot_model(_multi())
    assert dot.source.startswith("digraph multi")
    bundle = dot._repr_mimebundle_()
    assert bundle == {"text/plain": dot.source}
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "Install Graphviz" in out
    (tmp_path / "m.dot").unlink(missing_ok=True)
    kk.utils.plot_model(_multi(), to_file=tmp_path / "m.dot")  # needs no program
    assert (tmp_path / "m.dot").read_text().startswith("digraph")
    with pytest.raises(ImportError, match="was not found, so the graph cannot be written"):
        kk.utils.plot_model(_multi(), to_file=tmp_path / "m.png")
