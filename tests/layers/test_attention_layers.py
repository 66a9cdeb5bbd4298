"""Attention layers (MultiHeadAttention, Attention): Keras differential tests with masks and
scores, dropout behaviour, configs, symbolic use and errors."""

import jax.numpy as jnp
import numpy as np
import pytest
from keras.src.backend import set_keras_mask

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 4, 6)).astype("float32")
V = RNG.normal(size=(2, 5, 3)).astype("float32")
K = RNG.normal(size=(2, 5, 7)).astype("float32")
VALUE_MASK = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)
ATTENTION_MASK = RNG.uniform(size=(2, 4, 5)) > 0.3
ATTENTION_MASK[0, 1] = False  # a query that may attend to nothing
ONES = "ones"  # constant initializers: no per-shape compilation of a random initializer


def _mha(query=Q, value=V, key=None, **kwargs):
    """A kernelkit/Keras pair; Keras is built with random weights drawn by NumPy (constant
    initializers keep the tests free of per-shape random-initializer compilations)."""
    kwargs = {"num_heads": 2, "key_dim": 3, "kernel_initializer": "zeros", **kwargs}
    k_layer = keras.layers.MultiHeadAttention(**kwargs)
    k_layer.build(query.shape, value.shape, None if key is None else key.shape)
    rng = np.random.default_rng(3)
    k_layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                         for w in k_layer.get_weights()])
    return kk.layers.MultiHeadAttention(**kwargs), k_layer


# ---- MultiHeadAttention -----------------------------------------------------------------------

def test_mha_with_value_dim_matches_keras():
    # Keras 3.15 fails on value_dim != key_dim without scores (its fused kernel needs equal
    # head sizes); kernelkit then takes the einsum path, checked against Keras with scores
    kk_layer, k_layer = _mha(key=K, value_dim=4, use_bias=False)
    kk_out, _ = assert_matches_keras(kk_layer, k_layer, Q, call_kwargs={
        "value": V, "key": K, "return_attention_scores": True})
    np.testing.assert_allclose(np.asarray(kk_layer(Q, V, K)), kk_out[0], atol=1e-6)


@pytest.mark.parametrize("kwargs", [
    {},
    {"output_shape": 5},
    {"output_shape": (2, 3)},
    {"use_gate": True},
    {"sliding_window": 2},
])
@pytest.mark.parametrize("scores", [False, True])
def test_mha_matches_keras(kwargs, scores):
    call = {"value": V, "key": K, "return_attention_scores": scores}
    kk_layer, k_layer = _mha(key=K, **kwargs)
    assert_matches_keras(kk_layer, k_layer, Q, call_kwargs=call)
    assert [w.shape for w in kk_layer.weights] == [tuple(w.shape) for w in k_layer.weights]


@pytest.mark.parametrize("masks", [
    {"value_mask": VALUE_MASK},
    {"value_mask": VALUE_MASK, "key_mask": VALUE_MASK[::-1]},
    {"attention_mask": ATTENTION_MASK},
    {"attention_mask": ATTENTION_MASK, "value_mask": VALUE_MASK},
    {"use_causal_mask": True},
    {"use_causal_mask": True, "value_mask": VALUE_MASK},
])
@pytest.mark.parametrize("scores", [False, True])
def test_mha_masks_match_keras(masks, scores):
    # without scores Keras takes its fused-kernel path, with scores the einsum path: the two
    # treat a fully masked query differently, and kernelkit follows each
    call = {"value": V, "return_attention_scores": scores, **masks}
    assert_matches_keras(*_mha(), Q, call_kwargs=call)


def test_mha_self_attention_with_causal_mask_matches_keras():
    x = RNG.normal(size=(2, 5, 4)).astype("float32")
    assert_matches_keras(*_mha(x, x), x, call_kwargs={"value": x, "use_causal_mask": True})


@pytest.mark.parametrize("scores", [False, True])
def test_mha_query_mask_matches_keras_mask_on_query(scores):
    query_mask = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], bool)
    kk_layer, k_layer = _mha()
    k_query = jnp.asarray(Q)  # Keras ignores `query_mask=`: it reads the query's own mask
    k_layer(k_query, V)
    kk_layer(Q, V)
    kk_layer.set_weights(k_layer.get_weights())
    kk_out = kk_layer(Q, V, query_mask=query_mask, return_attention_scores=scores)
    set_keras_mask(k_query, jnp.asarray(query_mask))  # Keras's call cleared it
    k_out = k_layer(k_query, V, return_attention_scores=scores)
    for a, b in zip(keras.tree.flatten(kk_out), keras.tree.flatten(k_out)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-5)


@pytest.mark.parametrize("axes", [(2,), (1, 2)])
def test_mha_attention_axes_match_keras(axes):
    q = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    v = RNG.normal(size=(2, 3, 2, 5)).astype("float32") if axes == (2,) else \
        RNG.normal(size=(2, 2, 3, 5)).astype("float32")
    for scores in (False, True):
        assert_matches_keras(*_mha(q, v, attention_axes=axes), q,
                             call_kwargs={"value": v, "return_attention_scores": scores})


def test_mha_dropout_is_identity_at_inference_and_random_in_training():
    reference = kk.layers.MultiHeadAttention(2, 3, name="ref", kernel_initializer=ONES)
    layer = kk.layers.MultiHeadAttention(2, 3, dropout=0.5, seed=7, kernel_initializer=ONES)
    reference(Q, V)
    layer(Q, V)
    layer.set_weights(reference.get_weights())
    np.testing.assert_allclose(np.asarray(layer(Q, V, training=False)),
                               np.asarray(reference(Q, V)), atol=1e-6)
    out1, scores1 = layer(Q, V, training=True, return_attention_scores=True)
    out2, _ = layer(Q, V, training=True, return_attention_scores=True)
    assert not np.allclose(np.asarray(out1), np.asarray(out2))
    _, clean_scores = reference(Q, V, return_attention_scores=True)
    np.testing.assert_allclose(np.asarray(scores1), np.asarray(clean_scores), atol=1e-6)
    again = kk.layers.MultiHeadAttention(2, 3, dropout=0.5, seed=7, kernel_initializer=ONES)
    again(Q, V)
    again.set_weights(reference.get_weights())
    np.testing.assert_array_equal(np.asarray(again(Q, V, training=True)), np.asarray(out1))


def test_mha_config_round_trip_and_keras_keys():
    layer = kk.layers.MultiHeadAttention(3, 4, value_dim=2, dropout=0.1, output_shape=(5,),
                                         attention_axes=1, kernel_regularizer="l2",
                                         use_gate=True, seed=3, kernel_initializer="ones")
    clone = assert_config_round_trip(layer)
    assert clone(Q, V).shape == (2, 4, 5)
    assert set(layer.get_config()) == set(keras.layers.MultiHeadAttention(2, 3).get_config())
    keras_clone = keras.layers.MultiHeadAttention.from_config(
        {k: v for k, v in layer.get_config().items() if k != "dtype"})
    assert keras_clone.get_config()["output_shape"] == (5,)


def test_mha_build_config_rebuilds_with_all_shapes():
    layer = kk.layers.MultiHeadAttention(2, 3, kernel_initializer=ONES)
    layer(Q, V, K)
    config = layer.get_build_config()
    assert config == {"shapes_dict": {"query_shape": [2, 4, 6], "value_shape": [2, 5, 3],
                                      "key_shape": [2, 5, 7]}}
    fresh = kk.layers.MultiHeadAttention(2, 3, kernel_initializer=ONES)
    fresh.build_from_config(config)
    assert [w.shape for w in fresh.weights] == [w.shape for w in layer.weights]


def test_mha_on_symbolic_inputs():
    q, v = kk.Input(shape=(4, 6)), kk.Input(shape=(None, 3))
    layer = kk.layers.MultiHeadAttention(2, 3, kernel_initializer=ONES)
    out, scores = layer(q, v, return_attention_scores=True)
    assert out.shape == (None, 4, 6)
    assert scores.shape == (None, 2, 4, None)
    model = kk.Model([q, v], layer(q, v, use_causal_mask=False))
    np.testing.assert_allclose(np.asarray(model([Q, V])), np.asarray(layer(Q, V)), atol=1e-6)


def test_mha_frozen_moves_projection_weights_to_non_trainable():
    layer = kk.layers.MultiHeadAttention(2, 3, kernel_initializer=ONES)
    layer(Q, V)
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 8


@pytest.mark.parametrize("kwargs, message", [
    ({"num_heads": 0, "key_dim": 2}, r"invalid `num_heads`\. Expected a positive integer\. "
                                     r"Received: num_heads=0"),
    ({"num_heads": 2, "key_dim": 1.5}, r"invalid `key_dim`\. Expected a positive integer\. "
                                       r"Received: key_dim=1\.5"),
    ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, r"invalid `value_dim`\. Expected a "
                                                      r"positive integer or None"),
    ({"num_heads": 2, "key_dim": 2, "output_shape": "x"}, r"invalid `output_shape`\. Expected "
                                                         r"an int or a tuple of positive ints"),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "x"}, r"invalid `attention_axes`\. "
                                                           r"Expected an int, list or tuple"),
    ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, r"invalid `sliding_window`\. "
                                                         r"Expected None or a positive integer"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True},
     r"dropout is not supported with flash attention\. Expected dropout=0\.0"),
])
def test_mha_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=r"MultiHeadAttention 'multi_head_attention': " + message):
        kk.layers.MultiHeadAttention(**kwargs)


def test_mha_call_errors():
    with pytest.raises(ValueError, match=r"MultiHeadAttention 'multi_head_attention' must be "
                                         r"called with both `query` and `value`\. Expected "
                                         r"layer\(query, value\[, key\]\)\. Received: value=None"):
        kk.layers.MultiHeadAttention(2, 3)(Q)
    with pytest.raises(ValueError, match=r"MultiHeadAttention 'multi_head_attention_1': `value` "
                                         r"and `key` must have equal shapes except on the last "
                                         r"axis\. Received: value_shape=\(2, 5, 3\), "
                                         r"key_shape=\(2, 4, 7\)"):
        kk.layers.MultiHeadAttention(2, 3, kernel_initializer=ONES)(Q, V, K[:, :4])


# ---- Attention --------------------------------------------------------------------------------

QA = RNG.normal(size=(2, 4, 3)).astype("float32")
VA = RNG.normal(size=(2, 5, 3)).astype("float32")
KA = RNG.normal(size=(2, 5, 3)).astype("float32")


@pytest.mark.parametrize("kwargs", [{}, {"use_scale": True}, {"score_mode": "concat"},
                                    {"score_mode": "concat", "use_scale": True}])
@pytest.mark.parametrize("with_key", [False, True])
def test_attention_matches_keras(kwargs, with_key):
    inputs = [QA, VA, KA] if with_key else [QA, VA]
    kk_layer, k_layer = kk.layers.Attention(**kwargs), keras.layers.Attention(**kwargs)
    k_layer.build([x.shape for x in inputs])
    k_layer.set_weights([np.full(w.shape, 1.7, "float32") for w in k_layer.get_weights()])
    assert_matches_keras(kk_layer, k_layer, inputs,
                         call_kwargs={"return_attention_scores": True})


@pytest.mark.parametrize("call", [
    {"mask": [np.array([[1, 0, 1, 1], [1, 1, 1, 0]], bool), VALUE_MASK]},
    {"mask": [None, VALUE_MASK]},
    {"use_causal_mask": True},
    {"use_causal_mask": True, "mask": [None, VALUE_MASK]},
])
def test_attention_masks_match_keras(call):
    call = {**call, "return_attention_scores": True}
    assert_matches_keras(kk.layers.Attention(), keras.layers.Attention(), [QA, VA, KA],
                         call_kwargs=call)
    mask = call.get("mask")
    kk_mask = kk.layers.Attention().compute_mask([QA, VA], mask)
    k_mask = keras.layers.Attention().compute_mask([QA, VA], mask)
    assert (kk_mask is None) == (k_mask is None)
    if k_mask is not None:
        np.testing.assert_array_equal(np.asarray(kk_mask), np.asarray(k_mask))


def test_attention_dropout_only_in_training():
    layer = kk.layers.Attention(dropout=0.5, seed=1)
    plain = kk.layers.Attention()
    np.testing.assert_allclose(np.asarray(layer([QA, VA], training=False)),
                               np.asarray(plain([QA, VA])), atol=1e-6)
    a = np.asarray(layer([QA, VA], training=True))
    b = np.asarray(layer([QA, VA], training=True))
    assert not np.allclose(a, b)


def test_attention_config_round_trip_and_symbolic_use():
    layer = kk.layers.Attention(use_scale=True, score_mode="concat", dropout=0.2, seed=4)
    assert_config_round_trip(layer, [QA, VA])
    assert set(layer.get_config()) == set(keras.layers.Attention().get_config())
    q, v = kk.Input(shape=(4, 3)), kk.Input(shape=(5, 3))
    out, scores = kk.layers.Attention()([q, v], return_attention_scores=True)
    assert out.shape == (None, 4, 3) and scores.shape == (None, 4, 5)


def test_attention_errors():
    with pytest.raises(ValueError, match=r"Attention 'attention': invalid `score_mode`\. Expected "
                                         r"one of 'dot', 'concat'\. Received: score_mode='add'"):
        kk.layers.Attention(score_mode="add")
    with pytest.raises(ValueError, match=r"Attention 'attention_1' must be called on a list "
                                         r"\[query, value\] or \[query, value, key\]\. Expected 2 "
                                         r"or 3 inputs\. Received: 1"):
        kk.layers.Attention()([QA])
    with pytest.raises(ValueError, match=r"Attention 'attention_2': `mask` must be a list "
                                         r"\[query_mask, value_mask\]\. Expected a list of 2 or 3 "
                                         r"masks\. Received: mask=bool\[2, 5\]"):
        kk.layers.Attention()([QA, VA], mask=VALUE_MASK)
