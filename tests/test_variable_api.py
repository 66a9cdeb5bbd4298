"""`kernelkit.Variable`: Keras 3's Variable API, differential against `keras.Variable`."""

import operator

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

import kernelkit as kk
from tests.keras_oracle import keras

VALUE = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
OTHER = np.array([[0.5, 2.0], [-1.0, 4.0]], "float32")


def _pair(value=VALUE, **kwargs):
    return kk.Variable(value, **kwargs), keras.Variable(value, **kwargs)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.pow, operator.matmul, operator.lt, operator.le,
                                operator.gt, operator.ge, operator.eq, operator.ne,
                                operator.floordiv, operator.mod])
def test_binary_operators_match_keras(op):
    ours, theirs = _pair()
    np.testing.assert_allclose(np.asarray(op(ours, OTHER)), np.asarray(op(theirs, OTHER)))
    np.testing.assert_allclose(np.asarray(op(OTHER, ours)), np.asarray(op(OTHER, theirs)))
    if op is not operator.matmul:
        np.testing.assert_allclose(np.asarray(op(ours, 2.0)), np.asarray(op(theirs, 2.0)))


@pytest.mark.parametrize("op", [operator.neg, operator.pos, operator.abs])
def test_unary_operators_and_indexing_match_keras(op):
    ours, theirs = _pair()
    np.testing.assert_allclose(np.asarray(op(ours)), np.asarray(op(theirs)))
    np.testing.assert_allclose(np.asarray(ours[1]), np.asarray(theirs[1]))
    np.testing.assert_allclose(np.asarray(ours[:, 0]), np.asarray(theirs[:, 0]))


def test_assign_methods_match_keras_and_return_the_value():
    ours, theirs = _pair()
    for method, arg in (("assign", OTHER), ("assign_add", 1.5), ("assign_sub", OTHER)):
        got, want = getattr(ours, method)(arg), getattr(theirs, method)(arg)
        np.testing.assert_allclose(np.asarray(got), np.asarray(want))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    ours.value = VALUE
    np.testing.assert_array_equal(ours.numpy(), VALUE)
    with pytest.raises(ValueError, match="shape"):
        ours.assign(np.ones(3))


def test_attributes_match_keras():
    ours, theirs = _pair(name="w", trainable=False, aggregation="mean",
                         synchronization="on_read")
    for attr in ("name", "path", "shape", "ndim", "trainable", "aggregation",
                 "synchronization", "constraint", "regularizer", "overwrite_with_gradient"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.dtype == theirs.dtype == "float32"
    assert isinstance(ours.numpy(), np.ndarray)
    assert repr(ours) == repr(theirs)
    with pytest.raises(ValueError, match="aggregation"):
        kk.Variable(1.0, aggregation="max")
    with pytest.raises(ValueError, match="name"):
        kk.Variable(1.0, name="a/b")


@pytest.mark.parametrize("initializer", [2, 2.5, [1, 2], np.arange(3, dtype="int64")])
def test_dtype_of_a_value_matches_keras(initializer):
    ours, theirs = kk.Variable(initializer), keras.Variable(initializer)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_initializer_needs_a_shape_and_builds_the_value():
    v = kk.Variable("ones", shape=(2, 3), dtype="float16")
    assert v.shape == (2, 3) and v.dtype == "float16"
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 3)))
    v = kk.Variable(kk.initializers.Constant(3.0), shape=(2,))
    np.testing.assert_array_equal(v.numpy(), [3.0, 3.0])
    with pytest.raises(ValueError, match="shape"):
        kk.Variable("zeros")


def test_is_an_nnx_variable_and_trainable_is_settable():
    v = kk.Variable(1.0)
    assert isinstance(v, nnx.Param) and isinstance(v, kk.Variable) and v.trainable
    v.trainable = False
    assert not v.trainable and isinstance(v, nnx.Param)
    frozen = kk.Variable(1.0, trainable=False)
    assert not isinstance(frozen, nnx.Param) and isinstance(frozen, nnx.Variable)
    frozen.trainable = True
    assert frozen.trainable and isinstance(frozen, nnx.Param)
    with pytest.raises(TypeError, match="boolean"):
        bool(v)


def test_conversion_through_ops_and_jnp():
    v = kk.Variable(VALUE)
    for converted in (kk.ops.convert_to_tensor(v), jnp.asarray(v), np.asarray(v)):
        np.testing.assert_array_equal(np.asarray(converted), VALUE)
    np.testing.assert_allclose(np.asarray(kk.ops.matmul(v, v)), VALUE @ VALUE)


def test_assign_works_on_traced_values_inside_jit():
    layer = kk.layers.Dense(2)
    layer.build((None, 2))

    @jax.jit
    def step(x):
        graphdef, state = nnx.split(layer)
        copy = nnx.merge(graphdef, state, copy=True)
        copy.kernel.assign_add(x)
        copy.bias.assign_sub(1.0)
        copy.bias.value = copy.bias.value * 2
        return copy.kernel.value, copy.bias.value

    before = layer.kernel.numpy()
    kernel, bias = step(OTHER)
    np.testing.assert_allclose(np.asarray(kernel), before + OTHER)
    np.testing.assert_allclose(np.asarray(bias), [-2.0, -2.0])
    np.testing.assert_array_equal(layer.kernel.numpy(), before)


class Counter(kk.layers.Layer):
    """Counts the samples it has seen in a non-trainable weight."""

    def build(self, input_shape):
        self.total = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="total")

    traces = 0  # Python runs `call` once per trace of a jitted step, never per step

    def call(self, x):
        Counter.traces += 1
        self.total.assign_add(jnp.asarray(x.shape[0], "float32"))
        return x


@pytest.fixture(scope="module")
def counted_model():
    inputs = kk.Input((3,))
    counter = Counter(name="counter")
    model = kk.Model(inputs, kk.layers.Dense(1)(counter(inputs)))
    model.compile("sgd", "mse")
    return model, counter


def test_add_weight_returns_a_variable_with_keras_metadata(counted_model):
    _, counter = counted_model
    assert isinstance(counter.total, kk.Variable)
    assert counter.total.path == "counter/total" and not counter.total.trainable
    assert counter.total in counter.non_trainable_variables
    kernel = kk.layers.Dense(2)
    kernel.build((None, 3))
    assert isinstance(kernel.kernel, kk.Variable) and kernel.kernel.path.endswith("/kernel")


def test_assign_add_in_call_accumulates_across_steps_and_epochs(counted_model):
    model, counter = counted_model
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    y = np.zeros((32, 1), "float32")
    start = float(counter.total.numpy())
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert float(counter.total.numpy()) == start + 64
    model.compile("sgd", "mse", steps_per_execution=1)  # one traced call per trace of a step
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # compiles
    start += 32
    traces = Counter.traces
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert float(counter.total.numpy()) == start + 64 + 96
    assert Counter.traces - traces <= 1  # 12 steps, 3 epochs: no trace per step or per epoch


def test_layer_with_assign_add_saves_and_loads(counted_model, tmp_path):
    model, counter = counted_model
    counter.total.assign(7.0)
    path = tmp_path / "counter.keras"
    model.save(path)
    loaded = kk.models.load_model(path, custom_objects={"Counter": Counter})
    restored = next(w for w in loaded.weights if w.path.endswith("total"))
    assert float(restored.numpy()) == 7.0 and isinstance(restored, kk.Variable)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), atol=1e-6)


def test_variables_assigned_as_layer_attributes_are_weights_like_keras():
    def make(lib):
        class Holder(lib.layers.Layer):
            def __init__(self):
                super().__init__()
                self.scale = lib.Variable(np.ones(2, "float32"), name="scale")
                self.calls = lib.Variable(0.0, trainable=False, name="calls")

            def call(self, x):
                return x * self.scale

        layer = Holder()
        layer(np.ones((1, 2), "float32"))
        return layer

    ours, theirs = make(kk), make(keras)
    for what in ("weights", "trainable_weights", "non_trainable_weights"):
        assert [w.path for w in getattr(ours, what)] == [w.path for w in getattr(theirs, what)]
    assert ours.count_params() == theirs.count_params()
