"""AdditiveAttention and GroupQueryAttention against Keras 3: values, masks, weights, configs."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.registry import serialize
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


# ---- GroupQueryAttention ----------------------------------------------------------------------

def _gqa(query=Q, value=V, key=None, **kwargs):
    """A kernelkit/Keras pair; Keras's weights are drawn by NumPy (constant initializers keep
    the tests free of per-shape random-initializer compilations)."""
    kwargs = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2,
              "kernel_initializer": "zeros", **kwargs}
    k_layer = keras.layers.GroupQueryAttention(**kwargs)
    k_layer.build(query.shape, value.shape, None if key is None else key.shape)
    rng = np.random.default_rng(3)
    k_layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                         for w in k_layer.get_weights()])
    return kk.layers.GroupQueryAttention(**kwargs), k_layer


@pytest.mark.parametrize("kwargs", [{}, {"num_key_value_heads": 1}, {"num_key_value_heads": 4},
                                    {"use_bias": False}, {"use_gate": True},
                                    {"sliding_window": 2}])
def test_gqa_matches_keras(kwargs):
    kk_layer, k_layer = _gqa(**kwargs)
    assert_matches_keras(kk_layer, k_layer, Q, call_kwargs={"value": V})


def test_gqa_with_key_masks_causal_mask_and_scores_matches_keras():
    kk_layer, k_layer = _gqa(key=K)
    assert_matches_keras(kk_layer, k_layer, Q, call_kwargs={
        "value": V, "key": K, "query_mask": Q_MASK, "value_mask": V_MASK,
        "use_causal_mask": True, "return_attention_scores": True})


def test_gqa_self_attention_with_causal_mask_matches_keras():
    kk_layer, k_layer = _gqa(value=Q)
    assert_matches_keras(kk_layer, k_layer, Q, call_kwargs={"value": Q,
                                                          "use_causal_mask": True})


def test_gqa_weight_layout_and_config_match_keras():
    kk_layer, k_layer = _gqa(use_gate=True, dropout=0.1, seed=1)
    kk_layer(Q, V)
    assert [w.shape for w in kk_layer.get_weights()] == [w.shape for w in k_layer.get_weights()]
    assert [w.path for w in kk_layer.weights] == \
        [w.path.split("/", 1)[1] for w in k_layer.weights]  # query/kernel, query/bias, ...
    k_config = k_layer.get_config()
    assert _unnamed(kk_layer.get_config()) == _unnamed(k_config)
    clone = kk.layers.GroupQueryAttention.from_config(k_config)
    assert clone.num_repeats == 2
    assert serialize(kk_layer)["class_name"] == keras.saving.serialize_keras_object(
        k_layer)["class_name"]


def test_gqa_in_a_functional_model_and_keras_file(tmp_path):
    kk_layer, k_layer = _gqa()
    q_in, v_in = keras.Input((4, 6)), keras.Input((5, 6))
    k_model = keras.Model([q_in, v_in], k_layer(q_in, v_in))
    k_model.save(tmp_path / "gqa.keras")
    loaded = kk.saving.load_model(tmp_path / "gqa.keras")
    np.testing.assert_allclose(loaded.predict([Q, V], verbose=0),
                               k_model.predict([Q, V], verbose=0), atol=1e-5)


def test_gqa_needs_divisible_heads():
    with pytest.raises(ValueError, match="GroupedQueryAttention .*divisible"):
        kk.layers.GroupQueryAttention(head_dim=2, num_query_heads=3, num_key_value_heads=2)
