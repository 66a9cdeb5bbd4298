"""Sequential: catalogue 3.2 (built and delayed-build stacks, add, pop, errors)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers


def test_input_shape_builds_as_layers_are_added():
    model = kk.Sequential()
    model.add(layers.Dense(32, input_shape=(500,)))
    model.add(layers.Dense(32))
    assert model.built and len(model.weights) == 4


@pytest.mark.parametrize("kwargs", [{"input_shape": (500,)}, {"input_dim": 500},
                                    {"batch_input_shape": (None, 500)}])
def test_three_ways_of_giving_the_input_shape(kwargs):
    model = kk.Sequential([layers.Dense(32, **kwargs)])
    assert [tuple(w.shape) for w in model.weights] == [(500, 32), (32,)]


def test_delayed_build_has_no_weights_until_built():
    model = kk.Sequential()
    model.add(layers.Dense(32))
    model.add(layers.Dense(32))
    assert model.weights == [] and not model.built
    model.build((None, 500))
    assert len(model.weights) == 4 and tuple(model.weights[0].shape) == (500, 32)


def test_delayed_build_on_first_call():
    model = kk.Sequential([layers.Dense(8), layers.Dense(2)])
    out = model(np.ones((3, 5), "float32"))
    assert out.shape == (3, 2) and len(model.weights) == 4
    assert model.output_shape == (None, 2)


def test_list_constructor_equals_adding():
    l1, l2 = layers.Dense(3), layers.Dense(4)
    assert kk.Sequential([l1, l2]).layers == [l1, l2]


def test_input_first_builds_at_once_and_is_not_a_layer():
    model = kk.Sequential([kk.Input(shape=(8,)), layers.Dense(4)])
    assert model.built and len(model.weights) == 2
    assert all(not isinstance(layer, layers.InputLayer) for layer in model.layers)


def test_add_rejects_non_layers():
    with pytest.raises(TypeError, match=r"add\(\) expects a layer instance"):
        kk.Sequential().add("not a layer")


class _TwoOutputs(kk.Layer):
    def call(self, x):
        return [x, x]


def test_add_rejects_multi_output_layers_and_keeps_the_model():
    model = kk.Sequential([kk.Input(shape=(3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="returns several output tensors"):
        model.add(_TwoOutputs())
    assert len(model.layers) == 1 and model.built


def test_add_rejects_duplicate_names():
    model = kk.Sequential([layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(3, name="d"))


def test_pop_removes_last_layer_and_updates_output_shape():
    model = kk.Sequential([kk.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    model.pop()
    assert len(model.layers) == 1 and model.output_shape == (None, 4)


def test_calls_after_pop_and_add_run_the_new_stack():
    # model(x) and predict reuse a compiled forward pass: it must follow the stack's changes
    model = kk.Sequential([kk.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    x = np.ones((2, 3), "float32")
    assert model(x).shape == (2, 2)
    model.pop()
    assert model(x).shape == (2, 4) and model.predict(x, verbose=0).shape == (2, 4)
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(model.layers[0](x)), rtol=1e-6)
    model.add(layers.Dense(5))
    assert model(x).shape == (2, 5) and model.predict_on_batch(x).shape == (2, 5)


def test_pop_on_empty_raises_type_error():
    with pytest.raises(TypeError, match="no layers to pop"):
        kk.Sequential().pop()


def test_name():
    assert kk.Sequential(name="s").name == "s"


def test_summary_before_build_raises_then_works():
    model = kk.Sequential([layers.Dense(32)])
    with pytest.raises(ValueError, match="has not been built yet"):
        model.summary()
    model.build((None, 500))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("16,032" in line for line in lines)


def test_plain_flax_module_in_sequential():
    from flax import nnx

    model = kk.Sequential([kk.Input(shape=(3,)), nnx.Linear(3, 4, rngs=nnx.Rngs(0)),
                           layers.Dense(2)])
    assert model(np.ones((5, 3))).shape == (5, 2)
    assert model.count_params() == 3 * 4 + 4 + 4 * 2 + 2


def test_sequential_wrong_feature_size_raises_and_changes_nothing():
    model = kk.Sequential([kk.Input(shape=(4,)), layers.Dense(2)])
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"expected inputs of shape \(None, 4\), but received "
                                         r"inputs=float32\[3, 5\]"):
        model(np.ones((3, 5), "float32"))
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
