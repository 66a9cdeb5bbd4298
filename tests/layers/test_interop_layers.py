"""JaxLayer, FlaxLayer (Linen) against Keras 3; training with fit(); weights and .keras files;
TFSMLayer and TorchModuleWrapper refuse with the alternatives."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from kernelkit.registry import register_keras_serializable
from kernelkit.saving import load_model
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ RNG.normal(size=(3, 2))).astype("float32")


def _both_registered(fn):
    """Registered in Keras and kernelkit under the same name, so files move both ways."""
    keras.saving.register_keras_serializable(package="interop_tests")(fn)
    return register_keras_serializable(package="interop_tests")(fn)


@_both_registered
def dense_init(rng, inputs):
    return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)) * 0.3, "b": jnp.zeros(2)}


@_both_registered
def dense_call(params, inputs):
    return inputs @ params["w"] + params["b"]


def counting_call(params, state, inputs, training):
    out = inputs @ params["w"]
    return (out * 2 if training else out), {"calls": state["calls"] + 1}


def noisy_call(rng, inputs, training):
    if rng is None:
        return inputs
    return inputs + jax.random.normal(rng, inputs.shape)


PARAMS = {"w": RNG.normal(size=(3, 2)).astype("float32"), "b": np.ones(2, "float32")}


# ---- JaxLayer ---------------------------------------------------------------------------------

def test_jax_layer_with_params_matches_keras():
    layer = kk.layers.JaxLayer(dense_call, params=PARAMS)
    k_layer = keras.layers.JaxLayer(dense_call, params=PARAMS)
    np.testing.assert_allclose(np.asarray(layer(X)), np.asarray(k_layer(X)), atol=1e-6)
    assert [w.shape for w in layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    assert set(layer.get_config()) == set(k_layer.get_config())


def test_jax_layer_state_is_returned_written_back_and_non_trainable_like_keras():
    params, state = {"w": PARAMS["w"]}, {"calls": np.zeros((), "float32")}
    layer = kk.layers.JaxLayer(counting_call, params=params, state=state)
    k_layer = keras.layers.JaxLayer(counting_call, params=params, state=state)
    for training in (False, True):
        np.testing.assert_allclose(np.asarray(layer(X, training=training)),
                                   np.asarray(k_layer(X, training=training)), atol=1e-6)
    assert float(layer.state["calls"][...]) == 2.0 == float(k_layer.state["calls"].value)
    assert len(layer.trainable_weights) == 1 and len(layer.non_trainable_weights) == 1


def test_jax_layer_rng_is_none_at_inference_and_fresh_in_training():
    layer = kk.layers.JaxLayer(noisy_call, seed=3)
    np.testing.assert_array_equal(np.asarray(layer(X)), X)
    first, second = np.asarray(layer(X, training=True)), np.asarray(layer(X, training=True))
    assert not np.allclose(first, X) and not np.allclose(first, second)


def test_jax_layer_init_fn_builds_on_the_input_shape():
    layer = kk.layers.JaxLayer(dense_call, dense_init)
    out = layer(kk.Input((3,)))
    assert out.shape == (None, 2)
    assert sorted(w.shape for w in layer.get_weights()) == [(2,), (3, 2)]
    assert set(layer.params) == {"w", "b"}


def _fit_and_check_weights_file(make_layer, tmp_path):
    model = kk.Sequential([kk.Input((3,)), make_layer()])
    model.compile(optimizer=kk.optimizers.Adam(0.05), loss="mse")
    history = model.fit(X, Y, epochs=10, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
    model.save_weights(tmp_path / "m.weights.h5")
    again = kk.Sequential([kk.Input((3,)), make_layer()])
    again.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(again.predict(X, verbose=0), model.predict(X, verbose=0),
                               atol=1e-6)
    return model


def test_jax_layer_trains_with_fit_and_round_trips_weights_files(tmp_path):
    model = _fit_and_check_weights_file(lambda: kk.layers.JaxLayer(dense_call, dense_init),
                                        tmp_path)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               atol=1e-6)


def test_keras_file_with_a_jax_layer_loads_in_kernelkit(tmp_path):
    k_model = keras.Sequential([keras.Input((3,)),
                                keras.layers.JaxLayer(dense_call, dense_init, params=PARAMS)])
    k_model.save(tmp_path / "k.keras")
    loaded = load_model(tmp_path / "k.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), k_model.predict(X, verbose=0),
                               atol=1e-6)


@pytest.mark.parametrize(("call_fn", "match"), [
    (lambda params: params, "no `inputs` argument"),
    (lambda params, inputs, mask: inputs, "unsupported argument `mask`"),
])
def test_jax_layer_bad_signatures_name_the_layer(call_fn, match):
    with pytest.raises(ValueError, match=f"JaxLayer 'jax_layer.*{match}"):
        kk.layers.JaxLayer(call_fn, params=PARAMS)


def test_jax_layer_needs_an_init_fn_or_params():
    with pytest.raises(ValueError, match="JaxLayer .*init_fn"):
        kk.layers.JaxLayer(dense_call)


# ---- FlaxLayer --------------------------------------------------------------------------------

class _BatchNormMLP(nn.Module):
    hidden: int = 4
    rate: float = 0.5

    @nn.compact
    def __call__(self, x, training=False):
        x = nn.Dense(self.hidden)(x)
        x = nn.BatchNorm(use_running_average=not training, momentum=0.5)(x)
        x = nn.Dropout(self.rate, deterministic=not training)(x)
        return nn.Dense(2)(nn.relu(x))

    def get_config(self):
        return {"hidden": self.hidden, "rate": self.rate}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


BatchNormMLP = _both_registered(_BatchNormMLP)


class Linear(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(2)(x)

    def project(self, x):
        return self(x) * 2.0


def test_flax_layer_matches_keras_in_inference_and_updates_batch_stats_in_training():
    variables = BatchNormMLP().init(jax.random.PRNGKey(0), X)
    layer = kk.layers.FlaxLayer(BatchNormMLP(), variables=variables)
    k_layer = keras.layers.FlaxLayer(BatchNormMLP(), variables=variables)
    np.testing.assert_allclose(np.asarray(layer(X)), np.asarray(k_layer(X)), atol=1e-6)
    assert [w.shape for w in layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    layer(X, training=True)
    k_layer(X, training=True)  # moves the batch statistics (dropout draws differ)
    np.testing.assert_allclose(np.asarray(layer(X)), np.asarray(k_layer(X)), atol=1e-5)
    assert len(layer.non_trainable_weights) == 2  # batch_stats mean and var
    k_config = k_layer.get_config()
    assert set(layer.get_config()) == set(k_config)
    assert layer.get_config()["module"] == k_config["module"]


def test_flax_layer_with_a_method_matches_keras():
    variables = Linear().init(jax.random.PRNGKey(1), X)
    layer = kk.layers.FlaxLayer(Linear(), method="project", variables=variables)
    k_layer = keras.layers.FlaxLayer(Linear(), method=Linear().project, variables=variables)
    np.testing.assert_allclose(np.asarray(layer(X)), np.asarray(k_layer(X)), atol=1e-6)


def test_flax_layer_trains_with_fit_and_round_trips_files(tmp_path):
    model = _fit_and_check_weights_file(lambda: kk.layers.FlaxLayer(BatchNormMLP(8, 0.1)),
                                        tmp_path)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               atol=1e-6)


def test_flax_layer_refuses_an_nnx_module_and_names_flax_module():
    with pytest.raises(TypeError, match="FlaxModule"):
        kk.layers.FlaxLayer(nnx.Linear(3, 2, rngs=nnx.Rngs(0)))


# ---- frameworks kernelkit does not run ---------------------------------------------------------

@pytest.mark.parametrize(("name", "args", "alternative"), [
    ("TFSMLayer", ("exported/",), "JaxLayer"),
    ("TorchModuleWrapper", (object(),), "FlaxModule"),
])
def test_unavailable_framework_layers_name_the_alternative(name, args, alternative):
    with pytest.raises(NotImplementedError, match=f"{name}: .*{alternative}"):
        getattr(kk.layers, name)(*args)
