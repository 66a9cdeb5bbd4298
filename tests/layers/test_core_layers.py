"""Core layers (EinsumDense, Activation, Identity, Lambda, Masking, Embedding) against Keras 3."""

import base64
import marshal

import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import register_keras_serializable
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _symbolic_shape(layer, shape, dtype=None):
    return layer(kk.Input(shape=shape, dtype=dtype)).shape


@register_keras_serializable(package="core_tests")
def double(x):
    return 2.0 * x


@register_keras_serializable(package="core_tests")
def scaled_sum(x, factor=1.0):
    return factor * jnp.sum(x, axis=-1)


# ---- EinsumDense ------------------------------------------------------------------------------

EINSUM_CASES = [
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, (3, 5)),
    ({"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d",
      "activation": "relu"}, (2, 5, 3)),
    ({"equation": "abc,cde->abde", "output_shape": (5, 2, 4), "bias_axes": "de"}, (2, 5, 3)),
    ({"equation": "abc,cde->abde", "output_shape": (5, 2, 4), "bias_axes": "e"}, (2, 5, 3)),
    ({"equation": "...b,bc->...c", "output_shape": 4, "bias_axes": "c"}, (2, 6, 3)),
    ({"equation": "...b,bc->...c", "output_shape": 4}, (2, 5, 6, 3)),
    ({"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"}, (2, 3, 5, 6)),
    ({"equation": "abc,bcd->ad", "output_shape": 7, "bias_axes": "d"}, (2, 5, 3)),
]


@pytest.mark.parametrize(("kwargs", "shape"), EINSUM_CASES)
def test_einsum_dense_matches_keras(kwargs, shape):
    x = _normal(*shape)
    assert_matches_keras(kk.layers.EinsumDense(**kwargs), keras.layers.EinsumDense(**kwargs), x)


@pytest.mark.parametrize(("kwargs", "shape"), EINSUM_CASES)
def test_einsum_dense_symbolic_shape_is_keras_eager_shape(kwargs, shape):
    # Keras's own symbolic shapes are wrong for some equations (None for axes the input fixes,
    # reversed axes under a leading `...`), so the reference is its eager output's shape.
    expected = (None, *keras.layers.EinsumDense(**kwargs)(_normal(*shape)).shape[1:])
    assert _symbolic_shape(kk.layers.EinsumDense(**kwargs), shape[1:]) == expected


def test_einsum_dense_symbolic_shape_matches_keras_compute_output_shape():
    kwargs = {"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"}
    expected = keras.layers.EinsumDense(**kwargs).compute_output_shape((None, 3, 5))
    assert _symbolic_shape(kk.layers.EinsumDense(**kwargs), (3, 5)) == expected


def test_einsum_dense_config_round_trip_and_keras_config_loads():
    layer = kk.layers.EinsumDense("abc,cd->abd", (None, 4), activation="tanh", bias_axes="d",
                                  kernel_regularizer="l2", bias_initializer="ones")
    assert_config_round_trip(layer, np.ones((2, 3, 5), "float32"))
    k_layer = keras.layers.EinsumDense("abc,cd->abd", (None, 4), activation="tanh",
                                       bias_axes="d", kernel_regularizer="l2")
    k_config = k_layer.get_config()
    kk_config = kk.layers.EinsumDense.from_config(k_config).get_config()
    assert set(kk_config) == set(k_config)
    for key in ("output_shape", "equation", "activation", "bias_axes", "kernel_regularizer"):
        assert kk_config[key] == k_config[key]


def test_einsum_dense_kernel_regularizer_loss_matches_keras():
    kwargs = {"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d",
              "kernel_regularizer": "l2", "bias_regularizer": "l1"}
    kk_layer, k_layer = kk.layers.EinsumDense(**kwargs), keras.layers.EinsumDense(**kwargs)
    assert_matches_keras(kk_layer, k_layer, _normal(2, 5, 3))
    np.testing.assert_allclose([float(v) for v in kk_layer.losses],
                               [float(v) for v in k_layer.losses], rtol=1e-5)


def test_einsum_dense_counts_fans_over_kernel_input_and_output_axes():
    # kernel (64, 8, 8): fans 64 in, 64 out as in Keras; the conv rule would give 512 and 512
    kwargs = {"equation": "abc,cde->abde", "output_shape": (None, 8, 8)}
    kk_layer = kk.layers.EinsumDense(**kwargs)
    kk_layer.build((None, 2, 64))
    k_layer = keras.layers.EinsumDense(**kwargs)
    k_layer.build((None, 2, 64))
    kk_kernel, k_kernel = kk_layer.get_weights()[0], k_layer.get_weights()[0]
    assert kk_kernel.shape == k_kernel.shape == (64, 8, 8)
    assert abs(kk_kernel.std() / k_kernel.std() - 1) < 0.05
    assert np.abs(kk_kernel).max() <= np.abs(k_kernel).max() * 1.01


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"equation": "ab->ac", "output_shape": 4}, r"invalid einsum `equation`.*Received: "
                                                r"equation='ab->ac'"),
    ({"equation": 3, "output_shape": 4}, r"invalid einsum `equation`"),
    ({"equation": "ab,bc->ad", "output_shape": 4}, r"output axis 'd' appears in neither"),
    ({"equation": "ab,bcz->ac", "output_shape": 4}, r"kernel axis 'z' appears in neither"),
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"},
     r"`bias_axes` must be letters of the output spec 'ac'\. Received: bias_axes='x'"),
    ({"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": ""}, r"`bias_axes` must be"),
    ({"equation": "ab,bc->ac", "output_shape": 0}, r"`output_shape` must be a positive integer"),
    ({"equation": "ab,bc->ac", "output_shape": "4"}, r".*Received: output_shape='4'"),
    ({"equation": "ab,bc->ac", "output_shape": 4, "lora_rank": 2},
     r"`lora_rank` is not supported by kernelkit\. Expected None\. Received: lora_rank=2"),
])
def test_einsum_dense_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=r"EinsumDense 'einsum_dense': " + match):
        kk.layers.EinsumDense(**kwargs)


@pytest.mark.parametrize(("kwargs", "shape", "match"), [
    ({"equation": "abc,cd->abd", "output_shape": (None, 4)}, (2, 3),
     r"the equation's input spec 'abc' expects inputs of rank 3, but received "
     r"input_shape=\(2, 3\)"),
    ({"equation": "...bc,cd->...bd", "output_shape": (None, 4)}, (3,),
     r".* expects inputs of rank at least 2, but received input_shape=\(3,\)"),
    ({"equation": "abc,cd->abd", "output_shape": (7, 4)}, (2, 5, 3),
     r"input and output shapes disagree on shared axis 'b'\. Expected output_shape to have 5 there\. Received: "
     r"input_shape=\(2, 5, 3\), output_shape=\(7, 4\)"),
    ({"equation": "abc,cd->abd", "output_shape": (4,)}, (2, 5, 3),
     r"`output_shape` must have one entry per output axis after the batch axis \(2 for"),
    ({"equation": "ab,bc->ac", "output_shape": (None,)}, (2, 3),
     r"the size of kernel axis 'c' is unknown"),
])
def test_einsum_dense_rejects_inputs_that_do_not_fit_the_equation(kwargs, shape, match):
    layer = kk.layers.EinsumDense(**kwargs)
    with pytest.raises(ValueError, match=r"EinsumDense 'einsum_dense': " + match):
        layer(np.ones(shape, "float32"))


def test_einsum_dense_wrong_input_rank_after_build_names_layer_and_shapes():
    layer = kk.layers.EinsumDense("abc,cd->abd", (None, 4))
    layer(np.ones((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"EinsumDense 'einsum_dense' expected inputs of rank 3,"
                                         r" but received rank 2\. Received: inputs=float32\[2, 3\]"):
        layer(np.ones((2, 3), "float32"))


# ---- Activation and Identity ------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "softmax", "tanh", "gelu"])
def test_activation_matches_keras(activation):
    x = _normal(3, 4)
    assert_matches_keras(kk.layers.Activation(activation), keras.layers.Activation(activation), x)


def test_activation_config_symbolic_and_keras_config():
    layer = kk.layers.Activation("sigmoid")
    assert_config_round_trip(layer, np.ones((2, 3), "float32"))
    k_layer = keras.layers.Activation("sigmoid")
    assert layer.get_config()["activation"] == k_layer.get_config()["activation"]
    assert kk.layers.Activation.from_config(k_layer.get_config()).activation is (
        kk.activations.sigmoid)
    assert _symbolic_shape(layer, (5, 3)) == k_layer.compute_output_shape((None, 5, 3))
    assert layer.supports_masking


def test_activation_rejects_unknown_name():
    with pytest.raises(ValueError, match=r"Activation 'activation': .*'nope'"):
        kk.layers.Activation("nope")


def test_identity_matches_keras_and_round_trips():
    x = _normal(2, 3)
    assert_matches_keras(kk.layers.Identity(), keras.layers.Identity(), x)
    assert_config_round_trip(kk.layers.Identity(), x)
    k_config = keras.layers.Identity().get_config()
    assert kk.layers.Identity.from_config(k_config).get_config() == k_config
    assert _symbolic_shape(kk.layers.Identity(), (4, 3)) == (None, 4, 3)
    a, b = kk.layers.Identity()([x, 2 * x])
    np.testing.assert_array_equal(np.asarray(b), 2 * x)


# ---- Lambda -----------------------------------------------------------------------------------

def test_lambda_matches_keras_with_named_function_and_arguments():
    x = _normal(3, 4)
    assert_matches_keras(kk.layers.Lambda(double), keras.layers.Lambda(double), x)
    assert_matches_keras(kk.layers.Lambda(scaled_sum, arguments={"factor": 3.0}),
                         keras.layers.Lambda(scaled_sum, arguments={"factor": 3.0}), x)


def test_lambda_symbolic_shape_inferred_or_given_matches_keras():
    k_layer = keras.layers.Lambda(scaled_sum)
    assert _symbolic_shape(kk.layers.Lambda(scaled_sum), (5, 4)) == (
        k_layer.compute_output_shape((None, 5, 4)))
    given = kk.layers.Lambda(double, output_shape=(5, 4))
    assert _symbolic_shape(given, (5, 4)) == keras.layers.Lambda(
        double, output_shape=(5, 4)).compute_output_shape((None, 5, 4)) == (None, 5, 4)
    assert kk.layers.Lambda(double, output_shape=lambda s: s).compute_output_shape(
        (None, 2)) == (None, 2)


def test_lambda_named_function_config_is_keras_form_and_round_trips():
    layer = kk.layers.Lambda(scaled_sum, arguments={"factor": 2.0}, output_shape=(3,))
    config = layer.get_config()
    assert config["function"] == {"module": __name__, "class_name": "function",
                                  "config": "core_tests>scaled_sum",
                                  "registered_name": "core_tests>scaled_sum"}
    assert config["output_shape"] == (3,)
    assert config["arguments"] == {"factor": 2.0}
    clone = assert_config_round_trip(layer, np.ones((2, 4), "float32"))
    assert clone.function is scaled_sum


def _code(config):
    return marshal.loads(base64.decodebytes(config["function"]["config"]["code"].encode()))


def test_lambda_python_lambda_is_keras_bytecode_form_refused_unless_unsafe():
    fn = lambda x, k=3.0: x * k  # noqa: E731
    layer = kk.layers.Lambda(fn)
    config = layer.get_config()
    k_config = keras.layers.Lambda(fn).get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert _code(config) == _code(k_config)  # the same code object (bytes may differ in refs)
    with pytest.raises(UnsafeModelError, match=r"Lambda\.from_config \('lambda'\): the config "
                                               r"holds a Python lambda as bytecode"):
        kk.layers.Lambda.from_config(config)
    clone = kk.layers.Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(np.asarray(clone(np.ones((1, 2), "float32"))), [[3.0, 3.0]])
    again = clone.get_config()
    assert _code(again) == _code(config)
    assert again["function"]["config"]["defaults"] == config["function"]["config"]["defaults"]
    k_clone = keras.layers.Lambda.from_config(config, safe_mode=False)  # kernelkit -> Keras
    np.testing.assert_allclose(np.asarray(k_clone(np.ones((1, 2), "float32"))), [[3.0, 3.0]])


def test_lambda_unregistered_function_cannot_be_loaded():
    def local_fn(x):
        return x

    config = kk.layers.Lambda(local_fn).get_config()
    with pytest.raises(UnsafeModelError, match=r"function 'local_fn' .* is not a registered "
                                               r"kernelkit object"):
        kk.layers.Lambda.from_config(config)
    loaded = kk.layers.Lambda.from_config(config, custom_objects={"local_fn": local_fn})
    assert loaded.function is local_fn


def test_lambda_that_cannot_be_serialized_raises_clear_error():
    table = jnp.ones((3,))
    layer = kk.layers.Lambda(lambda x: x * table)
    with pytest.raises(ValueError, match=r"Lambda 'lambda': cannot serialize the lambda in "
                                         r"`function`: its closure hold ArrayImpl values"):
        layer.get_config()

    class Scaler:
        def __call__(self, x):
            return x

    with pytest.raises(ValueError, match=r"Lambda 'lambda_1': cannot serialize `function`"):
        kk.layers.Lambda(Scaler()).get_config()


def test_lambda_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"Lambda 'lambda': `function` must be callable\. "
                                        r"Received: function=3"):
        kk.layers.Lambda(3)
    with pytest.raises(TypeError, match=r"`arguments` must be a dict.*Received: arguments=\[1\]"):
        kk.layers.Lambda(double, arguments=[1])


def test_lambda_mask_argument_and_function_mask():
    x = _normal(2, 3, 4)
    fixed = kk.layers.Lambda(double, mask=lambda inputs, mask: jnp.ones(inputs.shape[:2], bool))
    k_fixed = keras.layers.Lambda(double, mask=lambda inputs, mask: np.ones(inputs.shape[:2],
                                                                             bool))
    np.testing.assert_array_equal(np.asarray(fixed.compute_mask(x, None)),
                                  np.asarray(k_fixed.compute_mask(x, None)))
    assert fixed.supports_masking and not kk.layers.Lambda(double).supports_masking
    assert kk.layers.Lambda(double).compute_mask(x, None) is None


# ---- Masking ----------------------------------------------------------------------------------

def _padded(seed=0):
    x = _normal(3, 5, 2, seed=seed)
    x[0, 3:] = 0.0
    x[1, 1] = 0.0
    x[2, 2, 0] = 0.0  # one zero feature does not mask the timestep
    return x


def test_masking_matches_keras_output_and_mask():
    x = _padded()
    x[1, 4] = 7.0
    for value in (0.0, 7.0):
        kk_layer, k_layer = kk.layers.Masking(value), keras.layers.Masking(value)
        assert_matches_keras(kk_layer, k_layer, x)
        np.testing.assert_array_equal(np.asarray(kk_layer.compute_mask(x)),
                                      np.asarray(k_layer.compute_mask(x)))


def test_masking_config_and_symbolic():
    layer = kk.layers.Masking(mask_value=-1.0)
    assert_config_round_trip(layer, _padded())
    k_config = keras.layers.Masking(mask_value=-1.0).get_config()
    assert kk.layers.Masking.from_config(k_config).get_config()["mask_value"] == -1.0
    assert _symbolic_shape(layer, (5, 2)) == keras.layers.Masking().compute_output_shape(
        (None, 5, 2))
    assert layer.supports_masking


class MaskedMean(kk.layers.Layer):
    """Mean over the unmasked timesteps; records whether it was given a mask."""

    def call(self, inputs, mask=None):
        self.saw_mask = mask is not None
        if mask is None:
            return jnp.mean(inputs, axis=1)
        weights = mask[..., None].astype(inputs.dtype)
        return jnp.sum(inputs * weights, axis=1) / jnp.maximum(jnp.sum(weights, axis=1), 1.0)


def _masked_mean(x, keep):
    w = keep[..., None].astype("float32")
    return (x * w).sum(1) / np.maximum(w.sum(1), 1.0)


def test_masking_in_sequential_passes_mask_to_consumer():
    x = _padded()
    consumer = MaskedMean()
    model = kk.Sequential([kk.Input(shape=(5, 2)), kk.layers.Masking(), consumer])
    out = np.asarray(model(x))
    assert consumer.saw_mask
    keep = np.any(x != 0.0, axis=-1)
    np.testing.assert_allclose(out, _masked_mean(x, keep), rtol=1e-6)
    assert not np.allclose(out, x.mean(1))


def test_masking_mask_passes_through_masking_aware_layers_and_lambda():
    x = _padded()
    seen = {}

    def record(inputs, mask=None):
        seen["mask"] = mask
        return inputs

    model = kk.Sequential([kk.Input(shape=(5, 2)), kk.layers.Masking(),
                           kk.layers.Activation("relu"), kk.layers.Lambda(record)])
    model(x)
    np.testing.assert_array_equal(np.asarray(seen["mask"]), np.any(x != 0.0, axis=-1))


def test_embedding_mask_zero_reaches_consumer_in_sequential():
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")
    consumer = MaskedMean()
    embedding = kk.layers.Embedding(5, 3, mask_zero=True)
    model = kk.Sequential([kk.Input(shape=(4,), dtype="int32"), embedding, consumer])
    out = np.asarray(model(ids))
    assert consumer.saw_mask
    table = embedding.get_weights()[0]
    np.testing.assert_allclose(out, _masked_mean(table[ids], ids != 0), rtol=1e-6)


# ---- Embedding --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"input_dim": 10, "output_dim": 4},
    {"input_dim": 7, "output_dim": 3, "mask_zero": True},
])
def test_embedding_matches_keras(kwargs):
    ids = np.random.default_rng(0).integers(0, kwargs["input_dim"], size=(3, 5)).astype("int32")
    kk_layer, k_layer = kk.layers.Embedding(**kwargs), keras.layers.Embedding(**kwargs)
    assert_matches_keras(kk_layer, k_layer, ids)
    assert [w.path.split("/")[-1] for w in k_layer.weights] == ["embeddings"]
    assert kk_layer.weights[0].get_metadata()["name"] == "embeddings"
    kk_mask, k_mask = kk_layer.compute_mask(ids), k_layer.compute_mask(ids)
    if k_mask is None:
        assert kk_mask is None
    else:
        np.testing.assert_array_equal(np.asarray(kk_mask), np.asarray(k_mask))


def test_embedding_float_indices_and_regularizer_loss_match_keras():
    ids = np.array([[0.0, 2.7, 4.0]], "float32")
    kwargs = {"input_dim": 5, "output_dim": 2, "embeddings_regularizer": "l2"}
    kk_layer, k_layer = kk.layers.Embedding(**kwargs), keras.layers.Embedding(**kwargs)
    assert_matches_keras(kk_layer, k_layer, ids)
    np.testing.assert_allclose([float(v) for v in kk_layer.losses],
                               [float(v) for v in k_layer.losses], rtol=1e-5)


def test_embedding_config_round_trip_keras_config_and_symbolic():
    layer = kk.layers.Embedding(6, 3, mask_zero=True, embeddings_initializer="ones")
    assert_config_round_trip(layer, np.array([[1, 2]], "int32"))
    k_layer = keras.layers.Embedding(6, 3, mask_zero=True)
    k_config = k_layer.get_config()
    kk_config = kk.layers.Embedding.from_config(k_config).get_config()
    assert set(kk_config) == set(k_config)
    assert kk_config["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert kk.layers.Embedding(6, 3).get_config()["embeddings_initializer"] == (
        keras.layers.Embedding(6, 3).get_config()["embeddings_initializer"])
    assert _symbolic_shape(layer, (4,), "int32") == k_layer.compute_output_shape((None, 4))


def test_embedding_initial_weights_argument():
    table = np.arange(6, dtype="float32").reshape(3, 2)
    layer = kk.layers.Embedding(3, 2, weights=[table])
    assert layer.built
    np.testing.assert_array_equal(np.asarray(layer(np.array([2, 0]))), table[[2, 0]])
    with pytest.raises(ValueError, match=r"weight 0 .* has shape \(3, 2\), but set_weights "
                                         r"received float32\[2, 2\]"):
        kk.layers.Embedding(3, 2, weights=np.ones((2, 2), "float32"))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"input_dim": 0, "output_dim": 2}, r"`input_dim` must be a positive integer\. "
                                        r"Received: input_dim=0"),
    ({"input_dim": 2.5, "output_dim": 2}, r".*Received: input_dim=2\.5"),
    ({"input_dim": 3, "output_dim": -1}, r"`output_dim` must be a positive integer\. "
                                         r"Received: output_dim=-1"),
    ({"input_dim": 3, "output_dim": True}, r".*Received: output_dim=True"),
    ({"input_dim": 3, "output_dim": 2, "lora_rank": 4}, r"`lora_rank` is not supported"),
])
def test_embedding_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=r"Embedding 'embedding': " + match):
        kk.layers.Embedding(**kwargs)
