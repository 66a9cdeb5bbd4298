"""`kernelkit.config` against `keras.config`: every name, and each switch changes what it governs."""

import logging

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import config
from kernelkit.errors import UnsafeModelError
from tests.keras_oracle import keras


@pytest.fixture(autouse=True)
def _restore_settings():
    yield
    config.reset_switches()
    config.set_image_data_format("channels_last")
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    config.set_floatx("float32")
    config.set_epsilon(1e-7)
    keras.config.set_image_data_format("channels_last")
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)


def test_every_keras_config_name_exists():
    missing = [n for n in dir(keras.config) if not n.startswith("_") and not hasattr(config, n)]
    assert not missing
    assert set(dir(keras.config)) - {n for n in dir(keras.config) if n.startswith("_")} <= set(
        config.__all__)


def test_defaults_match_keras():
    for name in ["floatx", "epsilon", "image_data_format", "backend", "max_epochs",
                 "max_steps_per_epoch", "is_interactive_logging_enabled",
                 "is_traceback_filtering_enabled", "is_flash_attention_enabled"]:
        assert getattr(config, name)() == getattr(keras.config, name)(), name
    assert config.is_nnx_enabled() is True  # kernelkit layers are NNX modules


@pytest.mark.parametrize("setter,value", [("set_floatx", "float64"), ("set_epsilon", 1e-4),
                                          ("set_image_data_format", "CHANNELS_FIRST")])
def test_setters_round_trip_like_keras(setter, value):
    getter = {"set_floatx": "floatx", "set_epsilon": "epsilon",
              "set_image_data_format": "image_data_format"}[setter]
    before = getattr(keras.config, getter)()
    getattr(config, setter)(value)
    getattr(keras.config, setter)(value)
    try:
        assert getattr(config, getter)() == getattr(keras.config, getter)()
    finally:
        getattr(keras.config, setter)(before)


@pytest.mark.parametrize("setter,value", [("set_floatx", "int32"),
                                          ("set_image_data_format", "channels_middle"),
                                          ("set_max_epochs", 0), ("set_max_steps_per_epoch", "3")])
def test_bad_settings_raise_value_error(setter, value):
    with pytest.raises(ValueError, match=f"{setter}: .*Received"):
        getattr(config, setter)(value)


def test_set_backend_accepts_only_jax():
    config.set_backend("jax")
    with pytest.raises(ValueError, match="set_backend: kernelkit runs only on JAX"):
        config.set_backend("tensorflow")


def test_floatx_sets_the_dtype_of_new_weights_and_draws():
    keras.backend.clear_session()  # no global dtype policy left over from other tests
    config.set_dtype_policy(None)
    config.set_floatx("float16")
    keras.config.set_floatx("float16")
    try:
        ours, theirs = kk.layers.Dense(2), keras.layers.Dense(2)
        ours.build((None, 3))
        theirs.build((None, 3))
        assert str(ours.kernel.dtype) == str(theirs.kernel.dtype) == "float16"
        assert kk.random.uniform((2,), seed=1).dtype == "float16"
    finally:
        keras.config.set_floatx("float32")


@pytest.mark.parametrize("make", [
    lambda lib: lib.layers.Conv2D(4, 3),
    lambda lib: lib.layers.MaxPooling2D(),
    lambda lib: lib.layers.GlobalAveragePooling2D(),
    lambda lib: lib.layers.UpSampling2D(),
])
def test_channels_first_global_is_honoured_by_layers(make):
    config.set_image_data_format("channels_first")
    keras.config.set_image_data_format("channels_first")
    ours, theirs = make(kk), make(keras)
    assert ours.data_format == theirs.data_format == "channels_first"
    x = np.random.default_rng(0).normal(size=(2, 3, 8, 8)).astype("float32")  # (N, C, H, W)
    assert tuple(ours(x).shape) == tuple(theirs(x).shape)


def _tiny_model():
    model = kk.Sequential([kk.Input((2,)), kk.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_disabled_interactive_logging_sends_progress_to_logging(capsys, caplog):
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    _tiny_model().fit(x, y, epochs=1, verbose=2)
    assert "loss" in capsys.readouterr().out
    config.disable_interactive_logging()
    assert not config.is_interactive_logging_enabled()
    with caplog.at_level(logging.INFO, logger="kernelkit"):
        _tiny_model().fit(x, y, epochs=1, verbose=2)
    assert "loss" not in capsys.readouterr().out
    assert any("loss" in r.getMessage() for r in caplog.records if r.name == "kernelkit")
    config.enable_interactive_logging()
    _tiny_model().fit(x, y, epochs=1, verbose=2)
    assert "loss" in capsys.readouterr().out


def test_traceback_and_flash_attention_switches_mirror_keras():
    for switch, query in [("traceback_filtering", "is_traceback_filtering_enabled"),
                          ("flash_attention", "is_flash_attention_enabled")]:
        for action in ("disable", "enable"):
            getattr(config, f"{action}_{switch}")()
            getattr(keras.config, f"{action}_{switch}")()
            assert getattr(config, query)() == getattr(keras.config, query)()


def test_enable_unsafe_deserialization_turns_safe_mode_off(tmp_path):
    model = kk.Sequential([kk.Input((3,)), kk.layers.Lambda(lambda x: x * 3.0)])
    model.save(tmp_path / "lam.keras")
    with pytest.raises(UnsafeModelError, match="lambda as bytecode"):
        kk.saving.load_model(tmp_path / "lam.keras")
    config.enable_unsafe_deserialization()
    assert config.is_unsafe_deserialization_enabled()
    loaded = kk.saving.load_model(tmp_path / "lam.keras")  # safe_mode=True by default
    np.testing.assert_allclose(loaded.predict(np.ones((1, 3)), verbose=0), 3.0)
    assert not kk.registry.in_safe_mode()
    config.reset_switches()
    with pytest.raises(UnsafeModelError):
        kk.saving.load_model(tmp_path / "lam.keras")


def _fit_counts(lib, epochs, steps_per_epoch=None):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    batches = []
    count = lib.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b))
    history = model.fit(np.ones((16, 2), "float32"), np.ones((16, 1), "float32"), batch_size=2,
                        epochs=epochs, steps_per_epoch=steps_per_epoch, verbose=0,
                        callbacks=[count])
    return len(history.history["loss"]), len(batches)


def test_max_epochs_and_max_steps_per_epoch_cap_fit_like_keras():
    config.set_max_epochs(2)
    keras.config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    keras.config.set_max_steps_per_epoch(3)
    with pytest.warns(UserWarning, match="Limiting epochs to 2"):
        ours = _fit_counts(kk, epochs=5)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        ours_steps = _fit_counts(kk, epochs=1, steps_per_epoch=8)
    assert ours == _fit_counts(keras, epochs=5) == (2, 6)
    assert ours_steps == _fit_counts(keras, epochs=1, steps_per_epoch=8) == (1, 3)
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    assert _fit_counts(kk, epochs=3) == (3, 24)
