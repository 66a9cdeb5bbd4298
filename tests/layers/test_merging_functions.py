"""Functional merging forms (`add([a, b])`, ...) against Keras 3: values, names, symbolic use."""

import numpy as np
import pytest

import kernelkit as kk
from tests.keras_oracle import keras

RNG = np.random.default_rng(0)
A, B, C = (RNG.normal(size=(3, 4)).astype("float32") for _ in range(3))

CASES = [
    ("add", [A, B, C], {}),
    ("average", [A, B, C], {}),
    ("concatenate", [A, B], {"axis": 0}),
    ("concatenate", [A, B, C], {}),
    ("dot", [A, B], {"axes": 1}),
    ("dot", [A, B], {"axes": 1, "normalize": True}),
    ("maximum", [A, B, C], {}),
    ("minimum", [A, B, C], {}),
    ("multiply", [A, B, C], {}),
    ("subtract", [A, B], {}),
]


@pytest.mark.parametrize(("name", "inputs", "kwargs"), CASES)
def test_merge_function_matches_keras(name, inputs, kwargs):
    got = getattr(kk.layers, name)(inputs, **kwargs)
    expected = getattr(keras.layers, name)(inputs, **kwargs)
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), atol=1e-6)


@pytest.mark.parametrize(("name", "layer"), [
    ("add", "Add"), ("average", "Average"), ("concatenate", "Concatenate"), ("dot", "Dot"),
    ("maximum", "Maximum"), ("minimum", "Minimum"), ("multiply", "Multiply"),
    ("subtract", "Subtract")])
def test_merge_function_builds_the_named_layer_in_a_functional_model(name, layer):
    a, b = kk.Input((4,)), kk.Input((4,))
    kwargs = {"axes": 1} if name == "dot" else {}
    out = getattr(kk.layers, name)([a, b], name=f"my_{name}", **kwargs)
    model = kk.Model([a, b], out)
    assert type(model.get_layer(f"my_{name}")).__name__ == layer
    k_out = getattr(keras.layers, name)([A, B], **kwargs)
    np.testing.assert_allclose(np.asarray(model.predict([A, B], verbose=0)), np.asarray(k_out),
                               atol=1e-6)


def test_dot_function_defaults_to_the_last_axis_like_keras():
    np.testing.assert_allclose(np.asarray(kk.layers.dot([A, B])),
                               np.asarray(keras.layers.dot([A, B])), atol=1e-6)


def test_subtract_function_rejects_three_inputs():
    with pytest.raises(ValueError, match="Subtract"):
        kk.layers.subtract([A, B, C])


def test_merge_functions_are_exported_like_keras():
    names = ["add", "average", "concatenate", "dot", "maximum", "minimum", "multiply",
             "subtract"]
    assert all(name in kk.layers.__all__ for name in names)
