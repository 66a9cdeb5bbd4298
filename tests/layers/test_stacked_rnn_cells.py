"""StackedRNNCells inside RNN against Keras 3: outputs, flat states, weights, configs, files."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras
from tests.layers.keras_files import assert_keras_file_loads

X = np.random.default_rng(0).normal(size=(2, 5, 6)).astype("float32")


def _stacked_rnn(lib, **kwargs):
    cells = [lib.layers.SimpleRNNCell(4), lib.layers.LSTMCell(3), lib.layers.GRUCell(2)]
    return lib.layers.RNN(lib.layers.StackedRNNCells(cells), **kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"return_sequences": True, "return_state": True},
                                    {"go_backwards": True}])
def test_stacked_cells_match_keras(kwargs):
    assert_matches_keras(_stacked_rnn(kk, **kwargs), _stacked_rnn(keras, **kwargs), X)


def test_stacked_cells_config_matches_keras_and_round_trips():
    layer, k_layer = _stacked_rnn(kk), _stacked_rnn(keras)
    layer(X)
    k_config = k_layer.cell.get_config()
    assert set(layer.cell.get_config()) == set(k_config)
    assert [c["class_name"] for c in layer.cell.get_config()["cells"]] == \
        [c["class_name"] for c in k_config["cells"]]
    clone = kk.layers.StackedRNNCells.from_config(k_config)
    assert [type(c).__name__ for c in clone.cells] == ["SimpleRNNCell", "LSTMCell", "GRUCell"]
    assert layer.cell.state_size == [4, 3, 3, 2]
    assert_config_round_trip(layer, X)


def test_keras_file_with_stacked_cells_loads(tmp_path):
    assert_keras_file_loads(_stacked_rnn(keras, return_sequences=True), X, tmp_path)


def test_stacked_cells_with_dropout_train_with_fit():
    fast = {"recurrent_initializer": "zeros"}  # no orthogonal-initializer compilation
    cells = [kk.layers.LSTMCell(4, dropout=0.3, recurrent_dropout=0.2, seed=1, **fast),
             kk.layers.GRUCell(3, dropout=0.2, seed=2, **fast)]
    model = kk.Sequential([kk.Input((5, 6)), kk.layers.RNN(kk.layers.StackedRNNCells(cells)),
                           kk.layers.Dense(1)])
    model.compile(optimizer=kk.optimizers.Adam(0.02), loss="mse")
    y = np.ones((2, 1), "float32")
    history = model.fit(X, y, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    layer = model.layers[0]
    first = np.asarray(layer(X, training=True))
    assert not np.allclose(first, np.asarray(layer(X, training=True)))  # fresh masks per call
    np.testing.assert_array_equal(np.asarray(layer(X)), np.asarray(layer(X)))


def test_stacked_cells_refuse_a_non_cell():
    with pytest.raises(TypeError, match="StackedRNNCells .*recurrent cell"):
        kk.layers.StackedRNNCells([kk.layers.Dense(3)])
