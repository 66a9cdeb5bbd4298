"""A `.keras` file written by Keras 3 around one layer loads in kernelkit with equal outputs."""

from __future__ import annotations

import numpy as np

from kernelkit.saving import load_model
from tests.keras_oracle import keras

__all__ = ["assert_keras_file_loads"]


def assert_keras_file_loads(keras_layer, inputs, tmp_path, atol=1e-5):
    """Saves `Sequential([Input, keras_layer])` with Keras, loads it with kernelkit, compares.

    Returns the loaded kernelkit model.
    """
    model = keras.Sequential([keras.Input(np.shape(inputs)[1:]), keras_layer])
    path = tmp_path / "layer.keras"
    model.save(path)
    loaded = load_model(path)
    expected = model.predict(inputs, verbose=0)
    got = loaded.predict(inputs, verbose=0)
    for a, b in zip(keras.tree.flatten(got), keras.tree.flatten(expected)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=atol, rtol=1e-5)
    return loaded
