"""Functional models with ops on symbolic tensors (`x + 3.0`, `ops.mean`) saved both ways with Keras 3."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.layers.operation import OpLayer
from kernelkit.saving import load_model
from tests.keras_oracle import keras

X = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")


def _graph(lib, which):
    """The same small graph built with Keras (`lib=keras`) or kernelkit (`lib=kk`)."""
    o = lib.ops
    i = lib.Input((4, 3))
    d = lib.layers.Dense(3)(i)
    if which == "constant":
        out = o.relu(d + 3.0) * 0.5 - 1.0
    elif which == "reflected":
        out = 2.0 - d / (1.5 + o.absolute(i))
    elif which == "product":
        out = d * i
    elif which == "mean":
        out = o.mean(d, axis=1, keepdims=True) + o.expand_dims(o.mean(i, axis=-1), -1)
    else:  # concatenate
        out = o.concatenate([o.mean(d, axis=1), o.max(i, axis=1)], axis=-1)
    return lib.Model(i, out)


_GRAPHS = ["constant", "reflected", "product", "mean", "concatenate"]


@pytest.mark.parametrize("which", _GRAPHS)
def test_keras_file_loads_in_kernelkit(which, tmp_path):
    k_model = _graph(keras, which)
    k_model.save(tmp_path / "k.keras")
    model = load_model(tmp_path / "k.keras")
    assert [layer.name for layer in model.layers] == [op.name for op in k_model.operations]
    np.testing.assert_allclose(model.predict(X, verbose=0), k_model.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("which", _GRAPHS)
def test_kernelkit_file_loads_in_keras(which, tmp_path):
    model = _graph(kk, which)
    model.save(tmp_path / "kk.keras")
    k_model = keras.saving.load_model(tmp_path / "kk.keras")
    assert [op.name for op in k_model.operations] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(k_model.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)


# Ops whose Keras class takes constructor arguments (axis, shape, bounds) or constant inputs.
_OPS = {
    "sum": lambda o, x: o.sum(x, axis=(1, 2), keepdims=True),
    "transpose": lambda o, x: o.transpose(x, (0, 2, 1)),
    "reshape": lambda o, x: o.reshape(x, (-1, 12)),
    "clip": lambda o, x: o.clip(x, -0.5, 0.5),
    "softmax": lambda o, x: o.softmax(x, axis=1),
    "where": lambda o, x: o.where(o.greater(x, 0.0), x, 0.1 * x),
    "take": lambda o, x: o.take(x, [0, 2], axis=1),
    "pad": lambda o, x: o.pad(x, [[0, 0], [1, 1], [0, 0]], constant_values=2.0),
    "stack": lambda o, x: o.stack([x, o.square(x)], axis=-1),
    "matmul": lambda o, x: o.matmul(x, o.swapaxes(x, 1, 2)),
    "power": lambda o, x: -(o.abs(x) ** 2.0),
    "cast": lambda o, x: o.cast(x, "float16"),
}


@pytest.mark.parametrize("op", sorted(_OPS))
def test_op_configs_move_both_ways(op):
    i = kk.Input((4, 3))
    model = kk.Model(i, _OPS[op](kk.ops, i))
    k_model = keras.models.model_from_json(model.to_json())
    np.testing.assert_allclose(k_model.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)
    k_input = keras.Input((4, 3))
    k_model = keras.Model(k_input, _OPS[op](keras.ops, k_input))
    model = kk.models.model_from_json(k_model.to_json())
    np.testing.assert_allclose(model.predict(X, verbose=0), k_model.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_op_entries_are_written_as_keras_writes_them():
    keras.utils.clear_session()
    kk.utils.clear_session()
    ours = json.loads(_graph(kk, "mean").to_json())["config"]["layers"][2:]
    theirs = json.loads(_graph(keras, "mean").to_json())["config"]["layers"][2:]
    assert [(e["module"], e["class_name"], e["config"]) for e in ours] == [
        (e["module"], e["class_name"], e["config"]) for e in theirs]
    assert [e["inbound_nodes"] for e in ours] == [e["inbound_nodes"] for e in theirs]


def test_keras_get_item_with_slices_loads(tmp_path):
    i = keras.Input((4, 3))
    k_model = keras.Model(i, keras.layers.Dense(2)(i)[:, 1:3, None, ...] * 2.0)
    model = kk.models.model_from_json(k_model.to_json())
    model.set_weights(k_model.get_weights())
    np.testing.assert_allclose(model.predict(X, verbose=0), k_model.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_kernelkit_get_item_is_refused_clearly():
    i = kk.Input((4, 3))
    with pytest.raises(NotImplementedError, match="get_item.*use ops.take or ops.slice"):
        kk.Model(i, i[:, 0] + 1.0).to_json()


def test_unknown_keras_op_names_op_and_module():
    config = json.loads(_graph(keras, "product").to_json())
    config["config"]["layers"][2]["class_name"] = "NoSuchOp"
    with pytest.raises(ValueError, match="NoSuchOp.*keras.src.ops.numpy"):
        kk.models.model_from_json(json.dumps(config))


def test_op_without_keras_form_is_refused():
    i = kk.Input((3,))
    model = kk.Model(i, i + jnp.arange(3.0))  # an array constant has no inline form
    with pytest.raises(NotImplementedError, match="OpLayer 'add.*cannot be serialized"):
        model.to_json()


def _same_weights_predictions(target, source, x):
    target.set_weights(source.get_weights())
    np.testing.assert_allclose(target.predict(x, verbose=0), source.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-4)


def test_mobilenet_v3_small_both_ways(tmp_path):
    x = np.random.default_rng(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    model = kk.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3))
    model.save(tmp_path / "kk.keras")
    k_model = keras.saving.load_model(tmp_path / "kk.keras")
    _same_weights_predictions(k_model, model, x)
    k_model.save(tmp_path / "k.keras")
    _same_weights_predictions(load_model(tmp_path / "k.keras"), k_model, x)


def test_convnext_tiny_keras_file_loads(tmp_path):
    x = np.random.default_rng(2).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    k_model = keras.applications.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3))
    k_model.save(tmp_path / "k.keras")  # Keras records `inputs + x` as an Add op there
    model = load_model(tmp_path / "k.keras")
    assert any(isinstance(layer, OpLayer) and layer.op_name == "add" for layer in model.layers)
    np.testing.assert_allclose(model.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)
