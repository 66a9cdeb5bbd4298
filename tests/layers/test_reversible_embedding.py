"""ReversibleEmbedding against Keras 3: forward lookup, reverse logits, tied weights, configs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads

RNG = np.random.default_rng(0)
IDS = RNG.integers(0, 10, size=(2, 5)).astype("int32")
VECTORS = RNG.normal(size=(2, 5, 4)).astype("float32")


@pytest.mark.parametrize("kwargs", [{}, {"tie_weights": False}, {"logit_soft_cap": 2.0},
                                    {"tie_weights": False, "reverse_dtype": "float32"}])
@pytest.mark.parametrize("reverse", [False, True])
def test_reversible_embedding_matches_keras(kwargs, reverse):
    kk_layer = kk.layers.ReversibleEmbedding(10, 4, **kwargs)
    k_layer = keras.layers.ReversibleEmbedding(10, 4, **kwargs)
    k_layer.build(IDS.shape)
    k_layer.set_weights([RNG.normal(size=w.shape).astype("float32")
                         for w in k_layer.get_weights()])
    kk_layer.build(IDS.shape)
    assert_matches_keras(kk_layer, k_layer, VECTORS if reverse else IDS,
                         call_kwargs={"reverse": reverse})


def test_reversible_embedding_weights_and_config_match_keras():
    kk_layer = kk.layers.ReversibleEmbedding(10, 4, tie_weights=False, logit_soft_cap=3.0)
    k_layer = keras.layers.ReversibleEmbedding(10, 4, tie_weights=False, logit_soft_cap=3.0)
    kk_layer(IDS)
    k_layer(IDS)
    assert [w.name for w in kk_layer.weights] == [w.name for w in k_layer.weights]
    k_config = k_layer.get_config()
    assert set(kk_layer.get_config()) == set(k_config)
    for key in ("tie_weights", "reverse_dtype", "logit_soft_cap", "mask_zero"):
        assert kk_layer.get_config()[key] == k_config[key]
    assert_config_round_trip(kk_layer, IDS)


def test_tied_language_model_head_in_a_functional_model():
    embedding = kk.layers.ReversibleEmbedding(10, 4, mask_zero=True)
    ids = kk.Input((5,), dtype="int32")
    hidden = kk.layers.Dense(4)(embedding(ids))
    logits = embedding(hidden, reverse=True)
    assert logits.shape == (None, 5, 10)
    model = kk.Model(ids, logits)
    assert len(model.weights) == 3  # embeddings shared by both calls, Dense kernel and bias
    assert model.predict(IDS, verbose=0).shape == (2, 5, 10)


def test_keras_file_with_reversible_embedding_loads(tmp_path):
    layer = keras.layers.ReversibleEmbedding(10, 4, tie_weights=False)
    assert_keras_file_loads(layer, IDS, tmp_path)
