"""`ExportArchive`: endpoints written with `jax.export` and served again by `load_archive`.

Keras's own `ExportArchive` needs TensorFlow (absent here), so the oracle is the model itself:
a reloaded endpoint must give the model's predictions.
"""

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.saving import InvalidFileError
from tests.keras_oracle import keras


@pytest.fixture(scope="module")
def model():
    inputs = [kk.Input((3,), name="a"), kk.Input((2,), name="b")]
    hidden = kk.layers.Concatenate()([kk.layers.Dense(4, activation="relu")(inputs[0]),
                                      inputs[1]])
    out = kk.layers.Dense(1)(kk.layers.Dropout(0.5)(hidden))
    return kk.Model(inputs, out)


def test_every_keras_export_name_exists():
    names = {n for n in dir(keras.export) if not n.startswith("_")}
    assert sorted(n for n in names if not hasattr(kk.export, n)) == []


def test_endpoints_serve_the_models_predictions(model, tmp_path):
    archive = kk.export.ExportArchive()
    archive.track(model)
    specs = [kk.InputSpec(shape=(None, 3), dtype="float32"),
             jax.ShapeDtypeStruct((None, 2), "float32")]
    archive.add_endpoint("serve", lambda a, b: model([a, b], training=False), specs)
    dense = next(layer for layer in model.layers if isinstance(layer, kk.layers.Dense))
    archive.add_endpoint("first_only", lambda a: dense(a), specs[:1])
    archive.add_variable_collection("weights", model.weights)
    archive.write_out(tmp_path / "artifact", verbose=False)
    reloaded = kk.export.load_archive(tmp_path / "artifact")
    assert reloaded.endpoint_names == ["serve", "first_only"]
    for batch in (1, 5):  # the batch dimension stays symbolic
        a = np.random.RandomState(batch).rand(batch, 3).astype("float32")
        b = np.ones((batch, 2), "float32")
        np.testing.assert_allclose(reloaded.serve(a, b), model.predict([a, b], verbose=0),
                                   rtol=1e-5, atol=1e-6)
        assert reloaded.first_only(a).shape == (batch, 4)
    assert len(reloaded.weights) == len(model.weights)
    for saved, weight in zip(reloaded.weights, model.get_weights()):
        np.testing.assert_array_equal(saved, weight)


def test_track_and_add_endpoint_and_variable_lists(model, tmp_path):
    archive = kk.export.ExportArchive()
    archive.track_and_add_endpoint("serve", model, [[kk.InputSpec(shape=(None, 3)),
                                                     kk.InputSpec(shape=(None, 2))]])
    assert len(archive.variables) == len(model.weights)
    assert len(archive.trainable_variables) == len(model.trainable_weights)
    assert archive.non_trainable_variables == []
    archive.write_out(tmp_path / "a", verbose=False)
    x = [np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")]
    np.testing.assert_allclose(kk.export.load_archive(tmp_path / "a").serve(x),
                               model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


def test_write_out_prints_endpoints(model, tmp_path, capsys):
    archive = kk.export.ExportArchive()
    archive.add_endpoint("double", lambda x: 2 * x, [np.zeros((2,), "float32")])
    archive.write_out(tmp_path / "d")
    assert "Endpoint 'double'" in capsys.readouterr().out


def test_errors_say_what_to_do(tmp_path):
    archive = kk.export.ExportArchive()
    with pytest.raises(ValueError, match="input_signature` is required"):
        archive.add_endpoint("serve", lambda x: x)
    archive.add_endpoint("serve", lambda x: x, [np.zeros(2)])
    with pytest.raises(ValueError, match="new Python identifier"):
        archive.add_endpoint("serve", lambda x: x, [np.zeros(2)])
    with pytest.raises(ValueError, match="has no shape"):
        archive.add_endpoint("other", lambda x: x, [3])
    with pytest.raises(ValueError, match="no endpoint"):
        kk.export.ExportArchive().write_out(tmp_path / "empty")
    with pytest.raises(ValueError, match="unknown format"):
        kk.export.ExportArchive(format="neptune_model")
    with pytest.raises(InvalidFileError):
        kk.export.load_archive(tmp_path)
