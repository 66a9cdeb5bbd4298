"""Issue 19: bool/integer inputs are cast as Keras 3 casts them (weights never follow the input's
dtype); layers called with keyword inputs; metrics owned by a layer in the logs; the message
for a missing layer name."""

import jax
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras


def _one_hot_data(n=256):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=n)
    x = np.zeros((n, 8), bool)
    x[np.arange(n), y] = True  # the class, one-hot, plus one random noise bit
    x[np.arange(n), 4 + rng.integers(0, 4, size=n)] = True
    return x, y


def _mlp(lib):
    return lib.Sequential([lib.Input((8,)), lib.layers.Dense(16, activation="relu"),
                           lib.layers.Dense(4)])


@pytest.fixture(scope="module")
def keras_history():
    x, y = _one_hot_data()
    keras.utils.set_random_seed(0)
    model = _mlp(keras)
    weights = model.get_weights()
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x.astype("float32"), y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    return weights, history.history["loss"]


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "float32"])
def test_sequential_trains_the_same_on_bool_and_integer_copies_as_keras(dtype, keras_history):
    weights, keras_losses = keras_history
    x, y = _one_hot_data()
    model = _mlp(kk)
    model.set_weights(weights)
    model.compile("sgd", kk.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x.astype(dtype), y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], keras_losses, rtol=1e-4)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(x[:4].astype(dtype), verbose=0).dtype == np.float32


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32"])
@pytest.mark.parametrize("make, shape", [
    (lambda lib: lib.layers.Dense(3), (2, 5)),
    (lambda lib: lib.layers.Conv1D(2, 3), (2, 6, 3)),
    (lambda lib: lib.layers.SimpleRNN(2), (2, 4, 3)),
    (lambda lib: lib.layers.EinsumDense("ab,bc->ac", output_shape=3), (2, 5)),
], ids=["Dense", "Conv1D", "SimpleRNN", "EinsumDense"])
def test_float_layers_on_non_float_inputs_output_keras_dtype(make, shape, dtype):
    x = (np.arange(np.prod(shape)).reshape(shape) % 2).astype(dtype)
    ours, theirs = make(kk), make(keras)
    expected = theirs(x)
    ours.build(shape)
    ours.set_weights(theirs.get_weights())
    out = ours(x)
    assert out.dtype == np.dtype(keras.backend.standardize_dtype(expected.dtype))
    np.testing.assert_allclose(np.asarray(out), np.asarray(expected), atol=1e-5)
    assert all(np.asarray(w).dtype == np.float32 for w in ours.get_weights())


def test_embedding_keeps_integer_ids_in_a_float_input_model():
    model = kk.Sequential([kk.Input((3,), dtype="int32"), layers.Embedding(10, 2)])
    ids = np.array([[1, 2, 9]], np.int32)
    np.testing.assert_array_equal(model(ids), model.layers[0].embeddings[...][ids])


class _Endpoint(layers.Layer):
    """The keras.io endpoint-layer pattern: `call` takes its first input by another name."""

    def __init__(self, lib, **kwargs):
        super().__init__(**kwargs)
        self.loss_fn = lib.losses.BinaryCrossentropy(from_logits=True)
        self.accuracy_fn = lib.metrics.BinaryAccuracy(name="endpoint_accuracy")

    def call(self, logits, targets=None):
        self.add_loss(self.loss_fn(targets, logits))
        self.accuracy_fn.update_state(targets, jax.nn.sigmoid(logits))
        return logits


class _KerasEndpoint(keras.layers.Layer):
    """The same endpoint in Keras 3, without its metric: a metric updated inside a layer's
    `call` fails in Keras 3's JAX `fit` ('NoneType' object is not callable)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, logits, targets=None):
        self.add_loss(self.loss_fn(targets, logits))
        return logits


def _endpoint_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype("float32")
    t = (x[:, :1] > 0).astype("float32")
    return {"inputs": x, "targets": t}


def _endpoint_model(lib, endpoint):
    inputs = lib.Input((3,), name="inputs")
    targets = lib.Input((1,), name="targets")
    logits = lib.layers.Dense(1, name="logits")(inputs)
    outputs = endpoint(logits=logits, targets=targets)  # keyword inputs only
    return lib.Model([inputs, targets], outputs)


def test_keyword_only_call_matches_keras_and_layer_owned_metric_is_in_the_logs():
    data = _endpoint_data()
    theirs = _endpoint_model(keras, _KerasEndpoint(name="endpoint"))
    ours = _endpoint_model(kk, _Endpoint(kk, name="endpoint"))
    ours.set_weights(theirs.get_weights())
    for model in (theirs, ours):
        model.compile("sgd")
    k_hist = theirs.fit(data, epochs=2, batch_size=16, shuffle=False, verbose=0).history
    o_hist = ours.fit(data, epochs=2, batch_size=16, shuffle=False, verbose=0).history
    assert set(o_hist) == {"loss", "endpoint_accuracy"}
    np.testing.assert_allclose(o_hist["loss"], k_hist["loss"], rtol=1e-4)
    logs = ours.evaluate(data, verbose=0, return_dict=True)
    logits = ours.predict(data, verbose=0)
    expected = np.mean((1 / (1 + np.exp(-logits)) > 0.5) == (data["targets"] > 0.5))
    np.testing.assert_allclose(logs["endpoint_accuracy"], expected, rtol=1e-6)
    assert 0.0 < o_hist["endpoint_accuracy"][-1] <= 1.0


def test_keyword_only_call_in_a_subclassed_model():
    class Scale(layers.Layer):
        def call(self, values, factor=2.0):
            return values * factor

    class Net(kk.Model):
        def __init__(self):
            super().__init__()
            self.scale = Scale()

        def call(self, inputs):
            return self.scale(values=inputs, factor=3.0)

    np.testing.assert_allclose(Net()(np.ones((2, 2), "float32")), 3.0)


def test_keyword_call_without_the_first_input_names_it():
    class Pair(layers.Layer):
        def call(self, logits, targets=None):
            return logits

    with pytest.raises(ValueError, match=r"must be called with inputs.*`logits`.*\['targets'\]"):
        Pair(name="pair")(targets=np.ones((1, 2)))


def test_missing_layer_name_says_not_available_yet_without_a_wrong_suggestion():
    with pytest.raises(AttributeError, match="'NoSuchLayer': this layer is not available in "
                                             "kernelkit yet") as info:
        kk.layers.NoSuchLayer  # noqa: B018
    assert "Did you mean" not in str(info.value)
    assert not hasattr(kk.layers, "AlsoMissing")


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_ops_on_half_precision_symbolic_tensors_keep_keras_dtype(dtype):
    ours, theirs = kk.Input((3,), dtype=dtype), keras.Input((3,), dtype=dtype)
    assert (ours + 1).dtype == np.dtype(keras.backend.standardize_dtype((theirs + 1).dtype))
    assert kk.ops.relu(ours).dtype.name == keras.ops.relu(theirs).dtype
