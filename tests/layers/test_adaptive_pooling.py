"""Adaptive average and max pooling (1D/2D/3D) against Keras 3: values, shapes, configs."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


INPUTS = {1: _normal(2, 10, 3), 2: _normal(2, 7, 9, 3), 3: _normal(1, 5, 6, 7, 2)}
CASES = [
    (1, 4, "channels_last"), (1, (3,), "channels_first"), (1, 7, "channels_last"),
    (2, 3, "channels_last"), (2, (4, 2), "channels_first"), (2, (5, 9), "channels_last"),
    (3, (2, 3, 4), "channels_last"), (3, 2, "channels_first"),
]


@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize(("rank", "output_size", "data_format"), CASES)
def test_adaptive_pooling_matches_keras(kind, rank, output_size, data_format):
    name = f"Adaptive{kind}Pooling{rank}D"
    kwargs = {"output_size": output_size, "data_format": data_format}
    assert_matches_keras(getattr(kk.layers, name)(**kwargs),
                         getattr(keras.layers, name)(**kwargs), INPUTS[rank])


@pytest.mark.parametrize("kind", ["Average", "Max"])
def test_adaptive_pooling_to_the_input_size_is_the_identity(kind):
    # Keras 3.15's JAX kernel returns NaNs for some axes whose size equals the output size
    # (e.g. 7 -> 7); each bin is then one entry, so the output is the input.
    x = INPUTS[2]
    out = getattr(kk.layers, f"Adaptive{kind}Pooling2D")((7, 9))(x)
    np.testing.assert_array_equal(np.asarray(out), x)


@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adaptive_pooling_configs_and_symbolic_shapes_match_keras(kind, rank):
    name = f"Adaptive{kind}Pooling{rank}D"
    kk_layer, k_layer = getattr(kk.layers, name)(2), getattr(keras.layers, name)(2)
    assert_config_round_trip(kk_layer, INPUTS[rank])
    k_config, kk_config = k_layer.get_config(), kk_layer.get_config()
    assert set(kk_config) == set(k_config)
    assert kk_config["output_size"] == k_config["output_size"]
    shape = INPUTS[rank].shape[1:]
    assert kk_layer(kk.Input(shape)).shape == k_layer.compute_output_shape((None, *shape))


@pytest.mark.parametrize("name", ["AdaptiveAveragePooling2D", "AdaptiveMaxPooling1D"])
def test_keras_file_with_adaptive_pooling_loads(name, tmp_path):
    rank = int(name[-2])
    assert_keras_file_loads(getattr(keras.layers, name)(3), INPUTS[rank], tmp_path)


@pytest.mark.parametrize(("output_size", "error", "match"), [
    ((2, 2), ValueError, "AdaptiveMaxPooling1D 'adaptive_max_pooling1d.*one entry per spatial axis"),
    ("2", TypeError, "AdaptiveMaxPooling1D .*output_size"),
    (0, ValueError, "positive"),
])
def test_bad_output_size_names_the_layer(output_size, error, match):
    with pytest.raises(error, match=match):
        kk.layers.AdaptiveMaxPooling1D(output_size)


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match="AdaptiveAveragePooling2D"):
        kk.layers.AdaptiveAveragePooling2D(2)(INPUTS[1])
