"""Subclassed models: attribute tracking (plain, lists, dicts), training flag, nnx interop."""

import jax
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from kernelkit import layers


class MLP(kk.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [layers.Dense(8, activation="relu"), layers.Dense(8)]
        self.heads = {"out": layers.Dense(2)}

    def call(self, inputs, training=False):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.heads["out"](x)


def test_layers_in_attributes_lists_and_dicts_are_tracked():
    model = MLP()
    model(np.ones((3, 4)))
    assert [layer.name for layer in model.layers] == ["dense", "dense_1", "dense_2"]
    assert len(model.weights) == 6
    assert model.count_params() == 4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2


def test_count_params_before_build_raises():
    with pytest.raises(ValueError, match="is not built yet"):
        MLP().count_params()


def test_build_with_shape_creates_weights():
    model = MLP()
    model.build((None, 4))
    assert len(model.weights) == 6


class Recorder(kk.Model):
    def __init__(self):
        super().__init__()
        self.seen = []
        self.dense = layers.Dense(1)

    def call(self, inputs, training=False):
        self.seen.append(training)
        return self.dense(inputs)


def test_training_argument_reaches_call():
    model = Recorder()
    model(np.ones((1, 2)), training=True)
    model(np.ones((1, 2)))
    assert model.seen == [True, False]


class Inner(kk.Layer):
    def __init__(self):
        super().__init__()
        self.seen = []

    def call(self, x, training=None):
        self.seen.append(training)
        return x


class Outer(kk.Model):
    def __init__(self):
        super().__init__()
        self.inner = Inner()

    def call(self, x, training=False):
        return self.inner(x)


def test_training_flag_propagates_to_nested_layers_that_do_not_get_it():
    model = Outer()
    model(np.ones((1, 2)), training=True)
    model(np.ones((1, 2)), training=False)
    assert model.inner.seen == [True, False]


class WithFlax(kk.Model):
    def __init__(self):
        super().__init__()
        self.linear = nnx.Linear(3, 4, rngs=nnx.Rngs(0))
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(self.linear(x))


def test_plain_nnx_module_inside_a_model_counts_and_trains_with_nnx():
    model = WithFlax()
    model(np.ones((2, 3)))
    assert model.count_params() == 3 * 4 + 4 + 4 * 2 + 2
    assert len(model.trainable_weights) == 4

    def loss(m):
        return (m(jax.numpy.ones((2, 3))) ** 2).sum()

    grads = nnx.grad(loss)(model)
    assert len(jax.tree_util.tree_leaves(grads)) == 4


def test_model_is_an_nnx_module_that_nnx_jit_can_call():
    model = WithFlax()
    model(np.ones((2, 3)))

    @nnx.jit
    def forward(m, x):
        return m(x)

    np.testing.assert_allclose(np.asarray(forward(model, np.ones((2, 3), "float32"))),
                               np.asarray(model(np.ones((2, 3)))), rtol=1e-6)


def test_missing_super_init_is_a_clear_error():
    class Broken(kk.Layer):
        def __init__(self):
            pass

    with pytest.raises(RuntimeError, match=r"Call super\(\).__init__\(\)"):
        Broken()(np.ones((1, 1)))


def test_unbuilt_layer_inside_jit_is_a_clear_error():
    dense = layers.Dense(2)
    with pytest.raises(RuntimeError, match="called for the first time inside a JAX"):
        jax.jit(lambda x: dense(x))(np.ones((1, 3), "float32"))


def test_unknown_constructor_argument_is_a_type_error():
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['units_'\]"):
        layers.Dense(2, units_=3)


def test_functional_construction_of_a_subclass_keeps_its_methods():
    class MyModel(kk.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

        def describe(self):
            return "mine"

    x = kk.Input((3,))
    model = MyModel(x, layers.Dense(2)(x))
    assert isinstance(model, MyModel) and isinstance(model, kk.Functional)
    assert model.describe() == "mine"
    assert model(np.ones((4, 3))).shape == (4, 2)
