"""`weights_view` / `Model.inspect_weights`: rows checked against numpy on a small model."""

import builtins
import re

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.display import weights_view
from kernelkit.display.weights_view import _describe_sharding, histogram_svg


@pytest.fixture(scope="module")
def model():
    model = kk.Sequential([kk.Input((4,)), kk.layers.Dense(3), kk.layers.BatchNormalization(),
                           kk.layers.Dense(2, name="head")])
    model.compile("adam", "mse")
    rng = np.random.default_rng(0)
    model.fit(rng.random((16, 4), "float32"), rng.random((16, 2), "float32"), epochs=1,
              batch_size=8, verbose=0)  # non-trivial biases and moving statistics
    return model


def test_rows_follow_model_weights_with_numpy_statistics(model):
    view = weights_view(model)
    assert [r["path"] for r in view.rows] == [v.path for v in model.weights]
    assert [r["layer"] for r in view.rows] == ["dense"] * 2 + ["batch_normalization"] * 4 \
        + ["head"] * 2
    for row, variable in zip(view.rows, model.weights, strict=True):
        values = np.asarray(variable.numpy(), dtype=np.float64)
        assert row["shape"] == values.shape and row["dtype"] == "float32"
        assert row["trainable"] == variable.trainable
        np.testing.assert_allclose(row["norm"], np.linalg.norm(values.ravel()), rtol=1e-12)
        for key, fn in (("min", np.min), ("max", np.max), ("mean", np.mean), ("std", np.std)):
            np.testing.assert_allclose(row[key], fn(values), rtol=1e-12, atol=1e-15)
    assert [r["trainable"] for r in view.rows] == [True] * 4 + [False] * 2 + [True] * 2


def test_sharding_column_reads_the_arrays_sharding(model):
    device = jax.devices()[0]
    row = weights_view(model).rows[0]
    assert row["sharding"] == f"{device.platform}:{device.id}"
    mesh = jax.sharding.Mesh(np.array(jax.devices()[:1]), ("data",))
    spec = jax.sharding.PartitionSpec(None, "data")
    array = jax.device_put(np.zeros((2, 3), "float32"), jax.sharding.NamedSharding(mesh, spec))
    assert _describe_sharding(array) == f"mesh(data=1) {spec}"
    assert [r["sharding"] for r in weights_view(model).rows] == [
        _describe_sharding(v[...]) for v in model.weights]


def test_html_table_is_static_and_shows_every_variable(model):
    html = model.inspect_weights()._repr_html_()
    assert "<script" not in html and "<svg" not in html
    assert html.count("<tr") == 1 + len(model.weights)
    assert "8 variables, " in html and "batch_normalization/moving_variance" in html
    for column in ("layer", "path", "shape", "dtype", "sharding", "trainable", "L2 norm", "std"):
        assert f">{column}</th>" in html
    norm = np.linalg.norm(model.weights[0].numpy())
    assert f">{norm:.4f}</td>" in html


def test_histograms_are_drawn_on_demand(model):
    html = weights_view(model, histograms=True, bins=5)._repr_html_()
    assert html.count("<svg") == len(model.weights) and ">histogram</th>" in html
    values = model.weights[0].numpy()
    counts, _ = np.histogram(values, bins=5)
    svg = histogram_svg(values, bins=5)
    assert svg in html and svg.count("<rect") == np.count_nonzero(counts)
    heights = [float(h) for h in re.findall(r"<rect [^>]*height='([\d.]+)'", svg)]
    np.testing.assert_allclose(heights, 22 * counts[counts > 0] / counts.max(), atol=0.05)
    assert histogram_svg([np.nan, np.inf]) == ""


def test_text_repr_is_an_aligned_table(model):
    text = repr(model.inspect_weights())
    lines = text.splitlines()
    assert lines[0].startswith("8 variables, ") and len(lines) == 2 + len(model.weights)
    assert lines[1].split()[:3] == ["layer", "path", "shape"]
    assert lines[2].split()[:4] == ["dense", "dense/kernel", "(4,", "3)"]
    assert "no" in lines[7].split()


def test_treescope_backend_renders_the_model_state(model):
    pytest.importorskip("treescope")  # an optional dependency; the missing case is tested below
    view = weights_view(model, backend="treescope")
    assert "treescope" in view._repr_html_()
    text = repr(view)
    assert text.index("'trainable'") < text.index("'dense/kernel'") < text.index(
        "'non_trainable'") < text.index("'batch_normalization/moving_variance'")


def test_treescope_backend_without_treescope_names_the_install(model, monkeypatch):
    real_import = builtins.__import__

    def no_treescope(name, *args, **kwargs):
        if name == "treescope":
            raise ImportError("No module named 'treescope'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_treescope)
    with pytest.raises(ImportError, match="pip install treescope"):
        model.inspect_weights(backend="treescope")
    assert weights_view(model).rows  # the HTML table does not need it


@pytest.mark.parametrize("kwargs, match", [
    ({"backend": "rich"}, "unknown backend.*Received: backend='rich'"),
    ({"bins": 0}, "bins.*Received: bins=0"),
])
def test_bad_arguments_raise(model, kwargs, match):
    with pytest.raises(ValueError, match=match):
        weights_view(model, **kwargs)


def test_an_unbuilt_model_raises():
    unbuilt = kk.Sequential([kk.layers.Dense(2)], name="late")
    with pytest.raises(ValueError, match="Sequential 'late' is not built.*model.build"):
        weights_view(unbuilt)


def test_the_view_is_a_snapshot_of_the_values():
    small = kk.Sequential([kk.Input((2,)), kk.layers.Dense(2, use_bias=False)])
    before = small.weights[0].numpy()
    view = weights_view(small, histograms=True, bins=4)
    small.weights[0].assign(np.array([[0.0, 0.0], [0.0, 1.0]], "float32"))
    html = view._repr_html_()
    assert histogram_svg(before, bins=4) in html and view.rows[0]["max"] == before.max()
    assert weights_view(small).rows[0]["max"] == 1.0
