"""AdditiveAttention and GroupQueryAttention against Keras 3: values, masks, weights, configs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 4, 6)).astype("float32")
V = RNG.normal(size=(2, 5, 6)).astype("float32")
K = RNG.normal(size=(2, 5, 6)).astype("float32")
Q_MASK = np.array([[1, 1, 1, 0], [1, 0, 1, 1]], bool)
V_MASK = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)


def _unnamed(config):
    return {k: v for k, v in config.items() if k != "name"}


# ---- AdditiveAttention ------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{}, {"use_scale": False}])
@pytest.mark.parametrize("inputs", [[Q, V], [Q, V, K]])
def test_additive_attention_matches_keras(kwargs, inputs):
    assert_matches_keras(kk.layers.AdditiveAttention(**kwargs),
                         keras.layers.AdditiveAttention(**kwargs), inputs,
                         call_kwargs={"return_attention_scores": True})


def test_additive_attention_with_masks_and_causal_mask_matches_keras():
    masks = [Q_MASK, V_MASK]
    assert_matches_keras(kk.layers.AdditiveAttention(), keras.layers.AdditiveAttention(),
                         [Q, V], call_kwargs={"mask": masks, "use_causal_mask": True})


def test_additive_attention_weights_and_config_match_keras():
    layer = kk.layers.AdditiveAttention(dropout=0.1, seed=2)
    layer([Q, V])
    assert [w.shape for w in layer.get_weights()] == [(6,)]
    k_config = keras.layers.AdditiveAttention(dropout=0.1, seed=2).get_config()
    assert _unnamed(layer.get_config()) == _unnamed(k_config)
    assert_config_round_trip(layer, [Q, V])
    assert _unnamed(kk.layers.AdditiveAttention.from_config(k_config).get_config()) == \
        _unnamed(k_config)


def test_additive_attention_in_a_functional_model_propagates_the_query_mask():
    q_in, v_in = kk.Input((4, 6)), kk.Input((5, 6))
    out = kk.layers.AdditiveAttention()([q_in, v_in])
    model = kk.Model([q_in, v_in], out)
    assert model.predict([Q, V], verbose=0).shape == (2, 4, 6)


def test_additive_attention_needs_a_list_of_inputs():
    with pytest.raises(ValueError, match="AdditiveAttention 'additive_attention"):
        kk.layers.AdditiveAttention()(Q)
