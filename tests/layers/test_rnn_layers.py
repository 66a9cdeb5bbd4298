"""Recurrent layers: differential tests against Keras 3, masks, state, dropout, config, errors."""

import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 5, 3)).astype("float32")
MASK = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 1, 1]], bool)
NAMES = ["SimpleRNN", "LSTM", "GRU"]


def _pair(name, *args, **kwargs):
    return getattr(kk.layers, name)(*args, **kwargs), getattr(keras.layers, name)(*args, **kwargs)


def _with_keras_weights(kk_layer, keras_layer, x):
    keras_layer(x)
    kk_layer(x)
    kk_layer.set_weights(keras_layer.get_weights())


# ---- differential tests ---------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kwargs", [
    {},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"return_sequences": True, "unroll": True, "activation": "relu", "use_bias": False},
])
def test_recurrent_layer_matches_keras(name, kwargs):
    assert_matches_keras(*_pair(name, 4, **kwargs), X)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kwargs", [
    {"return_sequences": True, "return_state": True},
    {"return_sequences": True, "go_backwards": True, "unroll": True},
])
def test_recurrent_layer_with_explicit_mask_matches_keras(name, kwargs):
    call_kwargs = {"mask": MASK}
    if kwargs.get("return_state"):  # with initial states, which masked steps must keep
        n_states = 2 if name == "LSTM" else 1
        call_kwargs["initial_state"] = [RNG.normal(size=(2, 4)).astype("float32")
                                        for _ in range(n_states)]
    kk_out, _ = assert_matches_keras(*_pair(name, 4, **kwargs), X, call_kwargs=call_kwargs)
    if kwargs.get("return_sequences") and not kwargs.get("go_backwards"):
        seq = kk_out[0]
        np.testing.assert_array_equal(seq[0, 2], seq[0, 1])  # masked step repeats the output


def test_mask_keeps_states_through_masked_steps():
    layer = kk.layers.LSTM(4, return_state=True)
    _, h, c = layer(X, mask=MASK)
    # sample 0 skips steps 2 and 4: same as running only on steps 0, 1, 3
    _, h0, c0 = layer(X[:1, [0, 1, 3]])
    np.testing.assert_allclose(h[0], h0[0], atol=1e-6)
    np.testing.assert_allclose(c[0], c0[0], atol=1e-6)


@pytest.mark.parametrize("kwargs", [
    {"reset_after": False, "return_sequences": True},
    {"reset_after": False, "use_bias": False},
])
def test_gru_reset_after_variants_match_keras(kwargs):
    kk_layer, keras_layer = _pair("GRU", 4, **kwargs)
    assert_matches_keras(kk_layer, keras_layer, X, call_kwargs={"mask": MASK})
    if kwargs.get("use_bias", True):
        assert kk_layer.cell.bias.shape == (12,)


def test_gru_reset_after_bias_has_two_rows():
    layer = kk.layers.GRU(4)
    layer(X)
    assert [w.shape for w in layer.weights] == [(3, 12), (4, 12), (2, 12)]
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]


def test_lstm_weights_and_unit_forget_bias():
    layer = kk.layers.LSTM(4)
    layer(X)
    assert [w.shape for w in layer.weights] == [(3, 16), (4, 16), (16,)]
    np.testing.assert_array_equal(layer.cell.bias[...], np.repeat([0.0, 1.0, 0.0, 0.0], 4))
    rk = np.asarray(layer.cell.recurrent_kernel[...])
    np.testing.assert_allclose(rk @ rk.T, np.eye(4), atol=1e-5)  # orthogonal rows
    plain = kk.layers.LSTM(4, unit_forget_bias=False, bias_initializer="ones")
    plain(X)
    np.testing.assert_array_equal(plain.cell.bias[...], np.ones(16))


def test_generic_rnn_with_cell_matches_keras():
    kk_layer = kk.layers.RNN(kk.layers.GRUCell(4, reset_after=False), return_sequences=True)
    keras_layer = keras.layers.RNN(keras.layers.GRUCell(4, reset_after=False),
                                   return_sequences=True)
    assert_matches_keras(kk_layer, keras_layer, X, call_kwargs={"mask": MASK})


@pytest.mark.parametrize("name", ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_cell_step_matches_keras(name):
    kk_cell, keras_cell = _pair(name, 4)
    x = X[:, 0]
    n_states = 2 if name == "LSTMCell" else 1
    states = [RNG.normal(size=(2, 4)).astype("float32") for _ in range(n_states)]
    k_out, k_states = keras_cell(x, states)
    kk_cell(x, states)
    kk_cell.set_weights(keras_cell.get_weights())
    out, new_states = kk_cell(x, states)
    np.testing.assert_allclose(out, k_out, atol=1e-5)
    for a, b in zip(new_states, k_states):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_regularization_losses_match_keras():
    kwargs = {"kernel_regularizer": "l2", "recurrent_regularizer": "l1", "bias_regularizer": "l2",
              "activity_regularizer": "l2"}
    kk_layer, keras_layer = _pair("LSTM", 4, **kwargs)
    _with_keras_weights(kk_layer, keras_layer, X)
    keras_layer(X)
    kk_layer(X)
    assert len(kk_layer.losses) == len(keras_layer.losses) == 4
    np.testing.assert_allclose(sum(float(v) for v in kk_layer.losses),
                               sum(float(v) for v in keras_layer.losses), rtol=1e-5)


# ---- Bidirectional and TimeDistributed --------------------------------------------------------

@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merge_modes_match_keras(merge_mode):
    kk_layer = kk.layers.Bidirectional(kk.layers.LSTM(4, return_sequences=True),
                                       merge_mode=merge_mode)
    keras_layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True),
                                             merge_mode=merge_mode)
    assert_matches_keras(kk_layer, keras_layer, X)


def test_bidirectional_with_mask_and_initial_state_matches_keras():
    inner = {"return_sequences": True, "return_state": True}
    kk_layer = kk.layers.Bidirectional(kk.layers.LSTM(4, **inner))
    keras_layer = keras.layers.Bidirectional(keras.layers.LSTM(4, **inner))
    states = [RNG.normal(size=(2, 4)).astype("float32") for _ in range(4)]
    assert_matches_keras(kk_layer, keras_layer, X,
                         call_kwargs={"mask": MASK, "initial_state": states})


def test_bidirectional_weights_names_and_custom_backward_layer():
    layer = kk.layers.Bidirectional(
        kk.layers.GRU(4, name="enc"),
        backward_layer=kk.layers.SimpleRNN(4, go_backwards=True, name="back"))
    keras_layer = keras.layers.Bidirectional(
        keras.layers.GRU(4, name="enc"),
        backward_layer=keras.layers.SimpleRNN(4, go_backwards=True, name="back"))
    assert_matches_keras(layer, keras_layer, X)
    assert layer.forward_layer.name == "forward_enc"
    assert layer.backward_layer.name == "back"
    assert [w.shape for w in layer.weights] == [(3, 12), (4, 12), (2, 12), (3, 4), (4, 4), (4,)]


def test_time_distributed_dense_matches_keras():
    x = RNG.normal(size=(2, 4, 3, 5)).astype("float32")
    assert_matches_keras(kk.layers.TimeDistributed(kk.layers.Dense(2, activation="tanh")),
                         keras.layers.TimeDistributed(keras.layers.Dense(2, activation="tanh")),
                         x)


def test_time_distributed_passes_mask_through():
    layer = kk.layers.TimeDistributed(kk.layers.Dense(2))
    mask = jnp.asarray(MASK)
    assert layer.compute_mask(X, mask) is mask
    np.testing.assert_allclose(layer(X, mask=mask), layer(X), atol=1e-6)


# ---- symbolic use, models and masks from other layers ------------------------------------------

def test_symbolic_variable_length_input_and_functional_model():
    inputs = kk.Input(shape=(None, 3))
    seq, h, c = kk.layers.LSTM(4, return_sequences=True, return_state=True)(inputs)
    assert seq.shape == (None, None, 4)
    assert h.shape == c.shape == (None, 4)
    merged = kk.layers.Bidirectional(kk.layers.GRU(4))(seq)
    assert merged.shape == (None, 8)
    out = kk.layers.TimeDistributed(kk.layers.Dense(5))(seq)
    assert out.shape == (None, None, 5)
    model = kk.Model(inputs, [merged, out])
    for length in (5, 2):
        a, b = model(RNG.normal(size=(2, length, 3)).astype("float32"))
        assert a.shape == (2, 8) and b.shape == (2, length, 5)


def test_masking_layer_feeds_lstm_in_sequential_like_keras():
    x = X.copy()
    x[MASK == 0] = 0.0
    kk_model = kk.Sequential([kk.Input(shape=(5, 3)), kk.layers.Masking(),
                              kk.layers.LSTM(4, return_sequences=True)])
    keras_model = keras.Sequential([keras.Input(shape=(5, 3)), keras.layers.Masking(),
                                    keras.layers.LSTM(4, return_sequences=True)])
    kk_model.set_weights(keras_model.get_weights())
    np.testing.assert_allclose(kk_model(x), keras_model(x), atol=1e-5)
    np.testing.assert_allclose(kk_model(x), kk_model.layers[-1](x, mask=MASK), atol=1e-6)


def test_embedding_mask_zero_feeds_gru_in_sequential_like_keras():
    tokens = np.array([[3, 1, 0, 0], [2, 2, 4, 0]])
    kk_model = kk.Sequential([kk.Input(shape=(4,), dtype="int32"),
                              kk.layers.Embedding(5, 3, mask_zero=True), kk.layers.GRU(4)])
    keras_model = keras.Sequential([keras.Input(shape=(4,), dtype="int32"),
                                    keras.layers.Embedding(5, 3, mask_zero=True),
                                    keras.layers.GRU(4)])
    kk_model.set_weights(keras_model.get_weights())
    np.testing.assert_allclose(kk_model(tokens), keras_model(tokens), atol=1e-5)


def test_compute_mask():
    mask = jnp.asarray(MASK)
    assert kk.layers.LSTM(2, return_sequences=True).compute_mask(X, mask) is mask
    assert kk.layers.LSTM(2).compute_mask(X, mask) is None
    got = kk.layers.LSTM(2, return_sequences=True, return_state=True).compute_mask(X, mask)
    assert got[0] is mask and got[1:] == [None, None]
    bidi = kk.layers.Bidirectional(kk.layers.GRU(2, return_sequences=True), merge_mode=None)
    assert bidi.compute_mask(X, mask)[0] is mask and bidi.compute_mask(X, mask)[1] is mask


# ---- stateful ---------------------------------------------------------------------------------

def test_stateful_lstm_matches_keras_across_calls_and_resets():
    kk_layer, keras_layer = _pair("LSTM", 4, stateful=True, return_sequences=True)
    _with_keras_weights(kk_layer, keras_layer, X)
    assert len(kk_layer.get_weights()) == len(keras_layer.get_weights()) == 3
    kk_layer.reset_states()
    keras_layer.reset_states()
    for _ in range(2):  # the second call starts from the first call's final states
        np.testing.assert_allclose(kk_layer(X), keras_layer(X), atol=1e-5)
    kk_layer.reset_state()
    keras_layer.reset_state()
    np.testing.assert_allclose(kk_layer(X), keras_layer(X), atol=1e-5)


def test_stateful_continues_the_sequence_and_updates_under_nnx_jit():
    layer = kk.layers.GRU(4, stateful=True, return_state=True)
    _, whole = layer(X)
    layer.reset_states()
    layer(X[:, :2])
    _, second = layer(X[:, 2:])
    np.testing.assert_allclose(second, whole, atol=1e-6)
    layer.reset_states()
    np.testing.assert_array_equal(layer.states[0][...], np.zeros((2, 4)))
    nnx.jit(lambda m, x: m(x))(layer, X[:, :2])  # state written inside a traced call
    _, jitted = layer(X[:, 2:])
    np.testing.assert_allclose(jitted, whole, atol=1e-5)


def test_stateful_bidirectional_states_and_reset():
    layer = kk.layers.Bidirectional(kk.layers.SimpleRNN(4, stateful=True))
    first = layer(X)
    assert len(layer.states) == 2
    layer.reset_states()
    np.testing.assert_allclose(layer(X), first, atol=1e-6)


# ---- dropout ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_dropout_is_identity_in_inference_and_seeded_in_training(name):
    kk_layer = getattr(kk.layers, name)(4, dropout=0.5, recurrent_dropout=0.3, seed=1)
    kk_layer(X)
    plain = getattr(kk.layers, name)(4)
    plain(X)
    plain.set_weights(kk_layer.get_weights())
    np.testing.assert_array_equal(kk_layer(X, training=False), plain(X))
    twin = getattr(kk.layers, name)(4, dropout=0.5, recurrent_dropout=0.3, seed=1)
    twin(X)
    twin.set_weights(kk_layer.get_weights())
    fresh = getattr(kk.layers, name)(4, dropout=0.5, recurrent_dropout=0.3, seed=1)
    fresh(X)
    fresh.set_weights(kk_layer.get_weights())
    a, b = twin(X, training=True), fresh(X, training=True)
    np.testing.assert_array_equal(a, b)  # same seed, same masks
    assert not np.allclose(a, twin(X, training=False))
    assert not np.allclose(a, twin(X, training=True))  # the stream advances


def test_dropout_masks_statistics_and_per_gate_masks():
    cell = kk.layers.LSTMCell(4, dropout=0.25, recurrent_dropout=0.5, seed=0)
    x, h = jnp.ones((400, 3)), jnp.ones((400, 4))
    input_mask, recurrent_mask = cell.dropout_masks(x, h, training=True)
    assert input_mask.shape == (4, 400, 3) and recurrent_mask.shape == (4, 400, 4)
    assert abs(float((input_mask == 0).mean()) - 0.25) < 0.03
    assert abs(float((recurrent_mask == 0).mean()) - 0.5) < 0.03
    np.testing.assert_allclose(np.unique(input_mask), [0.0, 1 / 0.75], rtol=1e-6)
    shared, none = kk.layers.GRUCell(4, dropout=0.5).dropout_masks(x, h, training=True)
    assert shared.shape == (1, 400, 3) and none is None
    assert cell.dropout_masks(x, h, training=False) == (None, None)


def test_dropout_rnn_trains_under_jit_with_gradients():
    layer = kk.layers.LSTM(4, dropout=0.2, seed=0)
    layer(X)
    graphdef, params, rest = nnx.split(layer, nnx.Param, ...)

    def loss(p, r):
        model = nnx.merge(graphdef, p, r, copy=True)
        return jnp.sum(model(jnp.asarray(X), training=True) ** 2)

    grads = jax.jit(jax.grad(loss))(params, rest)
    assert all(float(jnp.abs(g).sum()) > 0 for g in jax.tree_util.tree_leaves(grads))


# ---- config -----------------------------------------------------------------------------------

@pytest.mark.parametrize("layer", [
    lambda: kk.layers.SimpleRNN(4, activation="relu", dropout=0.1, seed=2),
    lambda: kk.layers.LSTM(4, return_sequences=True, kernel_regularizer="l2",
                           recurrent_constraint="non_neg", unit_forget_bias=False),
    lambda: kk.layers.GRU(4, reset_after=False, go_backwards=True, return_state=True),
    lambda: kk.layers.RNN(kk.layers.LSTMCell(4), return_sequences=True),
    lambda: kk.layers.Bidirectional(kk.layers.GRU(4, return_sequences=True), merge_mode="sum"),
    lambda: kk.layers.TimeDistributed(kk.layers.Dense(4, use_bias=False)),
])
def test_config_round_trip(layer):
    assert_config_round_trip(layer(), X)


@pytest.mark.parametrize("name", NAMES + ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_config_and_signature_equal_keras(name):
    kwargs = {"kernel_regularizer": "l2", "recurrent_constraint": "non_neg", "dropout": 0.2}
    kk_config = getattr(kk.layers, name)(3, **kwargs).get_config()
    keras_config = getattr(keras.layers, name)(3, **kwargs).get_config()
    kk_config.pop("name")
    keras_config.pop("name")
    if name == "SimpleRNN":  # Keras forgets the seed of SimpleRNN; kernelkit keeps it
        assert kk_config.pop("seed") is None
    assert kk_config == keras_config
    ours = inspect.signature(getattr(kk.layers, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.layers, name).__init__).parameters
    assert [(k, p.default) for k, p in ours.items()] == [(k, p.default) for k, p in theirs.items()]


@pytest.mark.parametrize("name", ["RNN", "Bidirectional", "TimeDistributed"])
def test_wrapper_signatures_equal_keras(name):
    ours = inspect.signature(getattr(kk.layers, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.layers, name).__init__).parameters
    assert [(k, p.default) for k, p in ours.items()] == [(k, p.default) for k, p in theirs.items()]


def test_keras_config_loads_in_kernelkit():
    config = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)).get_config()
    layer = kk.layers.Bidirectional.from_config(config)
    assert layer(X).shape == (2, 5, 8)
    assert layer.forward_layer.units == 4 and layer.backward_layer.go_backwards


# ---- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("units", [0, -2, 1.5, None])
def test_rejects_bad_units(name, units):
    with pytest.raises(ValueError, match="`units` must be a positive integer"):
        getattr(kk.layers, name)(units)


def test_rejects_bad_dropout_and_use_cudnn():
    with pytest.raises(TypeError, match="`recurrent_dropout` must be a float between 0 and 1"):
        kk.layers.LSTM(2, recurrent_dropout="0.5")
    with pytest.raises(ValueError, match="`use_cudnn` must be 'auto', True or False"):
        kk.layers.GRU(2, use_cudnn="yes")


def test_rnn_rejects_bad_cells():
    with pytest.raises(TypeError, match="a list of cells is not supported"):
        kk.layers.RNN([kk.layers.LSTMCell(2), kk.layers.LSTMCell(2)])
    with pytest.raises(ValueError, match="must have a `call\\(inputs, states\\)` method"):
        kk.layers.RNN(kk.layers.Dense(2))


def test_cell_build_needs_known_features():
    with pytest.raises(ValueError, match="the feature axis of the input must be known"):
        kk.layers.LSTMCell(2).build((None, None))


def test_rejects_low_rank_inputs_and_unroll_without_time():
    with pytest.raises(ValueError, match="expected inputs of rank at least 3"):
        kk.layers.RNN(kk.layers.SimpleRNNCell(2))(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"LSTM 'short' expected inputs of rank at least 3"):
        kk.layers.LSTM(2, name="short")(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="cannot unroll a loop over an unknown number of time"):
        kk.layers.GRU(2, unroll=True)(kk.Input(shape=(None, 3)))


def test_rejects_bad_initial_state_and_mask():
    layer = kk.layers.LSTM(4)
    with pytest.raises(ValueError, match=r"`initial_state` does not match.*Expected 2 array"):
        layer(X, initial_state=[np.zeros((2, 4), "float32")])
    with pytest.raises(ValueError, match=r"the mask must have shape \(batch, timesteps\)"):
        layer(X, mask=np.ones((2, 4), bool))


def test_stateful_errors():
    with pytest.raises(ValueError, match="a stateful RNN needs a fixed batch size"):
        kk.Sequential([kk.Input(shape=(5, 3)), kk.layers.LSTM(2, stateful=True)])
    layer = kk.layers.SimpleRNN(4, stateful=True)
    layer(X)
    with pytest.raises(ValueError, match="Expected batch size 2. Received: sequences=float32"):
        layer(X[:1])


def test_bidirectional_errors():
    with pytest.raises(ValueError, match="`layer` must be a kernelkit Layer instance"):
        kk.layers.Bidirectional(keras.layers.LSTM(2))
    with pytest.raises(ValueError, match="invalid `merge_mode`"):
        kk.layers.Bidirectional(kk.layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="must have different `go_backwards`"):
        kk.layers.Bidirectional(kk.layers.LSTM(2), backward_layer=kk.layers.LSTM(2))
    with pytest.raises(ValueError, match="must have the same `return_sequences`"):
        kk.layers.Bidirectional(kk.layers.LSTM(2), backward_layer=kk.layers.LSTM(
            2, go_backwards=True, return_sequences=True))
    with pytest.raises(AttributeError, match="reset_states\\(\\) needs a stateful layer"):
        kk.layers.Bidirectional(kk.layers.LSTM(2)).reset_states()


def test_time_distributed_errors():
    with pytest.raises(ValueError, match="`layer` must be a kernelkit Layer instance"):
        kk.layers.TimeDistributed(lambda x: x)
    with pytest.raises(ValueError, match="expected inputs of rank at least 3"):
        kk.layers.TimeDistributed(kk.layers.Dense(2))(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="the mask must start with the input's"):
        kk.layers.TimeDistributed(kk.layers.Dense(2))(X, mask=np.ones((2, 3), bool))
