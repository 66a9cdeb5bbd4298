"""`Model.save` / `load_model` (catalogue 3.17) and YAML/JSON/export (3.19, 3.20)."""

import builtins
import pathlib
import warnings
import zipfile

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import NotCompiledError, UnsafeModelError
from kernelkit.export import load as load_export
from kernelkit.models import load_model as models_load_model
from kernelkit.models import model_from_yaml
from kernelkit.saving import load_model, register_keras_serializable, save_model


def _model():
    return kk.Sequential([kk.Input((3,)), kk.layers.Dense(5), kk.layers.Softmax()])


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 3)).astype("float32"), rng.normal(size=(16, 5)).astype("float32")


def test_round_trip_predictions_and_reexports(tmp_path):  # 211
    model = _model()
    x, _ = _data()
    model.save(str(tmp_path / "m.keras"))
    loaded = models_load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert kk.saving.load_model is load_model and kk.models.load_model is load_model
    names = sorted(zipfile.ZipFile(tmp_path / "m.keras").namelist())
    assert names == ["config.json", "metadata.json", "model.weights.h5"]


def test_compiled_model_reloads_compiled(tmp_path):  # 212
    model = _model()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    save_model(model, tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0),
                               rtol=1e-6)
    assert not load_model(tmp_path / "m.keras", compile=False).compiled


def test_uncompiled_model_reloads_uncompiled(tmp_path):  # 213
    _model().save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    x, y = _data()
    with pytest.raises(NotCompiledError):
        loaded.fit(x, y, verbose=0)


@pytest.mark.parametrize("optimizer", ["adam", "sgd_momentum", "rmsprop"])
def test_training_resumes_exactly(tmp_path, optimizer):  # 214
    opt = {"adam": lambda: kk.optimizers.Adam(0.01),
           "sgd_momentum": lambda: kk.optimizers.SGD(0.05, momentum=0.9),
           "rmsprop": lambda: kk.optimizers.RMSprop(0.01)}[optimizer]
    model = _model()
    model.compile(optimizer=opt(), loss="mse")
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    loaded.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_include_optimizer_false_drops_compile_and_state(tmp_path):
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(*_data(), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras", include_optimizer=False)
    assert not load_model(tmp_path / "m.keras").compiled


def test_wrong_extension_raises(tmp_path):  # 215
    with pytest.raises(ValueError, match="must end in '.keras'"):
        _model().save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match="Use model.save_weights"):
        _model().save(tmp_path / "m.weights.h5")
    with pytest.raises(TypeError, match="must be a str or a pathlib.Path"):
        _model().save(123)


def test_pathlib_and_overwrite_default(tmp_path):  # 216, 217
    path = pathlib.Path(tmp_path) / "m.keras"
    path.write_bytes(b"old")
    _model().save(path)
    assert zipfile.is_zipfile(path)


def test_overwrite_false_prompts(tmp_path, monkeypatch):  # 218
    path = tmp_path / "m.keras"
    path.write_bytes(b"old")
    answers = iter(["maybe", "n"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    _model().save(path, overwrite=False)
    assert path.read_bytes() == b"old"
    monkeypatch.setattr(builtins, "input", lambda prompt="": "y")
    _model().save(path, overwrite=False)
    assert zipfile.is_zipfile(path)


def test_save_format_is_deprecated(tmp_path):  # 219
    with pytest.warns(DeprecationWarning, match="save_format"):
        _model().save(tmp_path / "m.keras", save_format="keras")
    assert (tmp_path / "m.keras").exists()
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError,
                                                          match="unsupported save_format"):
        _model().save(tmp_path / "m2.keras", save_format="tf")


@register_keras_serializable(package="saving_tests")
class TwoDense(kk.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.first = kk.layers.Dense(units, activation="relu")
        self.second = kk.layers.Dense(2)

    def call(self, inputs, training=False):
        return self.second(self.first(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_functional_and_subclassed_round_trip(tmp_path):  # 220
    x, _ = _data()
    inp = kk.Input((3,))
    functional = kk.Model(inp, kk.layers.Dense(2)(kk.layers.Dense(4)(inp)))
    sub = TwoDense(units=6)
    sub(x)
    for model in (functional, sub):
        model.save(tmp_path / "m.keras")
        loaded = load_model(tmp_path / "m.keras")
        assert type(loaded) is type(model)
        np.testing.assert_allclose(model.predict(x, verbose=0), loaded.predict(x, verbose=0),
                                   rtol=1e-6)


class Scale(kk.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def custom_loss(y_true, y_pred):
    return kk.losses.mean_squared_error(y_true, y_pred) * 2.0


def test_custom_objects_resolve_layers_and_losses(tmp_path):  # 221
    model = kk.Sequential([kk.Input((3,)), kk.layers.Dense(5), Scale(3.0)])
    model.compile(optimizer="sgd", loss=custom_loss)
    model.save(tmp_path / "m.keras")
    with pytest.raises(UnsafeModelError, match="'Scale'.*not a registered"):
        load_model(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras",
                        custom_objects={"Scale": Scale, "custom_loss": custom_loss})
    assert loaded.layers[-1].factor == 3.0
    x, y = _data()
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0),
                               rtol=1e-6)


def test_yaml_round_trip_is_safe_yaml():  # 240
    model = _model()
    text = model.to_yaml()
    rebuilt = model_from_yaml(text)
    assert [type(a) for a in rebuilt.layers] == [type(b) for b in model.layers]
    assert rebuilt.count_params() == model.count_params()
    with pytest.raises(ValueError, match="not valid safe YAML"):
        model_from_yaml("!!python/object/apply:os.system ['echo hi']")
    with pytest.raises(ValueError, match="does not hold a model config"):
        model_from_yaml("- 1\n- 2\n")
    import yaml

    config = yaml.safe_load(text)
    config["config"]["layers"][-1].update(module="os", class_name="system")
    with pytest.raises(UnsafeModelError, match=r"yaml\.config\.layers\[2\]: 'system'"):
        model_from_yaml(yaml.safe_dump(config))


def test_yaml_missing_raises_import_error(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "yaml", None)
    with pytest.raises(ImportError, match="PyYAML"):
        _model().to_yaml()


def test_export_round_trip(tmp_path):  # 241, 242
    model = kk.Sequential([kk.Input((6, 6, 1)), kk.layers.Conv2D(2, 3),
                           kk.layers.Flatten(), kk.layers.Dense(3)])
    x = np.random.default_rng(0).normal(size=(5, 6, 6, 1)).astype("float32")
    model.export(str(tmp_path / "a.jaxexport"))
    model.export(tmp_path / "b.jaxexport")
    served = load_export(tmp_path / "b.jaxexport")
    np.testing.assert_allclose(np.asarray(served.serve(x)), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
    assert np.asarray(served.serve(x[:2])).shape == (2, 3)  # the batch size is symbolic


def test_export_errors(tmp_path):  # 243
    model = _model()
    with pytest.raises(ValueError, match="unknown format"):
        model.export(tmp_path / "m", format="onnx")
    with pytest.raises(ImportError, match="needs TensorFlow and jax2tf"):
        model.export(tmp_path / "m", format="tf_saved_model")
    (tmp_path / "bad").write_bytes(b"nope")
    with pytest.raises(ValueError, match="not a valid kernelkit/Keras file"):
        load_export(tmp_path / "bad")


def test_load_model_missing_file_and_weights_file(tmp_path):
    with pytest.raises(ValueError, match="no file at"):
        load_model(tmp_path / "absent.keras")
    (tmp_path / "w.weights.h5").write_bytes(b"x")
    with pytest.raises(ValueError, match="weights-only file"):
        load_model(tmp_path / "w.weights.h5")
    _model().save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="safe_mode` must be True or False"):
        load_model(tmp_path / "m.keras", safe_mode="no")


def test_legacy_full_model_h5_round_trip(tmp_path):
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    model.save(tmp_path / "m.h5")
    loaded = load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    loaded.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="holds weights only"):
        load_model(tmp_path / "w.h5")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(tmp_path / "m.h5", compile=False)
