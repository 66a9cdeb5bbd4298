"""Activations: every Keras 3 activation, differentially against Keras; get/serialize/deserialize."""

import jax
import numpy as np
import pytest
from keras.src.activations import ALL_OBJECTS_DICT as KERAS_ACTIVATIONS

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import IdentifierTypeError, register_keras_serializable
from tests.keras_oracle import keras

A = kk.activations

EDGES = np.array([
    -np.inf, -1e4, -88.0, -50.0, -6.0, -3.0, -2.5, -1.0, -0.5000001, -0.5, -0.25, -1e-7, -0.0,
    0.0, 1e-7, 0.25, 0.5, 0.5000001, 1.0, 2.0, 2.5, 3.0, 5.9999, 6.0, 6.5, 50.0, 88.0, 1e4,
    np.inf, np.nan,
], dtype="float32")
GRID = np.concatenate([EDGES, np.linspace(-8, 8, 161, dtype="float32")])
MATRIX = np.random.default_rng(0).normal(scale=3.0, size=(4, 6)).astype("float32")
MATRIX[0, :3] = [10.0, 10.0, -10.0]  # ties and a wide spread
CUBE = np.random.default_rng(1).normal(size=(2, 3, 4)).astype("float32")

ELEMENTWISE = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 6}),
    ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"threshold": -1.5}),
    ("relu", {"negative_slope": 0.2, "max_value": 6}),
    ("relu", {"negative_slope": 0.1, "max_value": 4.0, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.3, "threshold": 2.0}),
    ("relu", {"max_value": 3.0, "threshold": 1.0}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("relu6", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("softplus", {}),
    ("softsign", {}),
    ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.5}),
    ("sparse_plus", {}),
    ("silu", {}),
    ("swish", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("celu", {}),
    ("celu", {"alpha": 2.0}),
    ("tanh", {}),
    ("tanh_shrink", {}),
    ("hard_tanh", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 2.0}),
    ("threshold", {"threshold": 0.5, "default_value": -1.0}),
    ("threshold", {"threshold": -2.0, "default_value": 0.0}),
    ("sigmoid", {}),
    ("sparse_sigmoid", {}),
    ("exponential", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("linear", {}),
    ("mish", {}),
    ("log_sigmoid", {}),
]

AXIS_WISE = [
    ("softmax", {}), ("softmax", {"axis": 0}), ("softmax", {"axis": (0, 1)}),
    ("log_softmax", {}), ("log_softmax", {"axis": 0}), ("log_softmax", {"axis": (0, 1)}),
    ("glu", {}), ("glu", {"axis": 0}),
]


def _assert_same(name, kwargs, x, atol=1e-6):
    ours = np.asarray(getattr(A, name)(x, **kwargs))
    theirs = np.asarray(getattr(keras.activations, name)(x, **kwargs))
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=atol, rtol=1e-6, equal_nan=True)


@pytest.mark.parametrize("name,kwargs", ELEMENTWISE)
def test_elementwise_activation_matches_keras_on_edge_grid(name, kwargs):
    _assert_same(name, kwargs, GRID)


@pytest.mark.parametrize("name,kwargs", AXIS_WISE)
@pytest.mark.parametrize("x", [MATRIX, CUBE[:, :, :2]], ids=["matrix", "cube"])
def test_axis_activation_matches_keras(name, kwargs, x):
    _assert_same(name, kwargs, x)


def _sparsemax_reference(z):
    """Martins & Astudillo (2016), Algorithm 1, one row at a time."""
    out = np.empty_like(z)
    for i, row in enumerate(z.astype("float64")):
        s = np.sort(row)[::-1]
        k = np.arange(1, len(s) + 1)
        support = 1 + k * s > np.cumsum(s)
        tau = (np.cumsum(s)[support][-1] - 1) / k[support][-1]
        out[i] = np.maximum(row - tau, 0.0)
    return out


@pytest.mark.parametrize("axis", [-1, 0])
def test_sparsemax_matches_keras_where_keras_is_right(axis):
    # one dominant entry per slice: Keras's threshold bug (keras#23425) does not show
    x = np.linspace(1.0, 12.0, 12, dtype="float32").reshape(3, 4) * 3.0
    x = x if axis == -1 else x.T
    _assert_same("sparsemax", {"axis": axis}, x)


@pytest.mark.parametrize("axis", [-1, 0])
def test_sparsemax_is_the_simplex_projection(axis):
    x = np.concatenate([MATRIX, [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.5, 1.0, 0, 0, 0]]])
    x = x.astype("float32") if axis == -1 else x.T.astype("float32")
    ours = np.asarray(A.sparsemax(x, axis=axis))
    rows = x if axis == -1 else x.T
    expected = _sparsemax_reference(rows)
    np.testing.assert_allclose(ours if axis == -1 else ours.T, expected, atol=1e-6)
    np.testing.assert_allclose(ours.sum(axis=axis), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.asarray(A.sparsemax([0.0, 0.5, 1.0])), [0.0, 0.25, 0.75])


@pytest.mark.parametrize("name", ["relu", "gelu", "sigmoid", "hard_silu", "softmax"])
def test_activation_keeps_bfloat16_like_keras(name):
    x = jax.numpy.asarray(GRID[np.isfinite(GRID)], dtype="bfloat16")
    assert A.get(name)(x).dtype == keras.activations.get(name)(x).dtype


def test_every_keras_activation_name_resolves_to_the_same_function():
    for name, fn in KERAS_ACTIVATIONS.items():
        ours = A.get(name)
        assert ours.__name__ == fn.__name__, name
        assert A.serialize(ours) == keras.activations.serialize(fn) == fn.__name__
        assert name in A.__all__


def test_aliases_are_the_same_functions():
    assert A.swish is A.silu and A.get("swish") is A.silu
    assert A.hard_swish is A.hard_silu and A.get("hard_swish") is A.hard_silu
    assert A.serialize(A.swish) == "silu"


def test_relu_options_under_jit():
    fn = jax.jit(lambda x: A.relu(x, negative_slope=0.1, max_value=4.0, threshold=0.5))
    expected = keras.activations.relu(GRID, negative_slope=0.1, max_value=4.0, threshold=0.5)
    np.testing.assert_allclose(fn(GRID), expected, atol=1e-6, equal_nan=True)


def test_get_none_gives_linear_and_callables_pass_through():
    assert A.get(None) is A.linear

    def custom(x):
        return x

    assert A.get(custom) is custom


def test_get_reads_keras_serialized_function_dicts():
    for name in ["relu", "silu", "gelu", "sparsemax"]:
        written = keras.saving.serialize_keras_object(keras.activations.get(name))
        assert A.get(written) is A.get(name)
    assert A.get({"module": "keras.activations", "class_name": "function", "config": "swish",
                  "registered_name": None}) is A.silu


def test_custom_function_serializes_like_keras_and_round_trips():
    @register_keras_serializable(package="kk_test_act")
    def doubled(x):
        return 2 * x

    @keras.saving.register_keras_serializable(package="kk_test_act")
    def doubled_keras(x):
        return 2 * x

    ours = A.serialize(doubled)
    theirs = keras.activations.serialize(doubled_keras)
    assert ours == {**theirs, "config": "kk_test_act>doubled"}
    assert A.deserialize(ours) is doubled
    assert A.get(ours) is doubled
    assert A.get("kk_test_act>doubled") is doubled


def test_deserialize_uses_custom_objects():
    def cube(x):
        return x ** 3

    config = {"module": "builtins", "class_name": "function", "config": "cube",
              "registered_name": "function"}
    assert A.deserialize(config, custom_objects={"cube": cube}) is cube
    assert A.deserialize("cube", custom_objects={"cube": cube}) is cube


def test_unknown_name_raises_value_error():
    with pytest.raises(ValueError, match="'Relu' is not a known activation"):
        A.get("Relu")  # case-sensitive, as in Keras


def test_unregistered_function_dict_is_refused():
    config = {"module": "builtins", "class_name": "function", "config": "eval",
              "registered_name": "function"}
    with pytest.raises(UnsafeModelError, match="activation: 'eval' is not a known activation"):
        A.get(config)


def test_unregistered_class_dict_is_refused():
    config = {"module": "os", "class_name": "system", "config": {}, "registered_name": None}
    with pytest.raises(UnsafeModelError, match=r"activation: 'system' \(module 'os'\)"):
        A.get(config)


def test_get_rejects_non_callable():
    with pytest.raises(IdentifierTypeError, match="could not interpret the activation"):
        A.get(3)
    with pytest.raises(ValueError):  # also a ValueError, as Keras raises
        A.get(3)
    with pytest.raises(TypeError):
        A.get(3)


def test_deserialize_rejects_wrong_type():
    with pytest.raises(IdentifierTypeError, match="Expected a string or a dict"):
        A.deserialize(3)


def test_serialize_refuses_lambdas():
    with pytest.raises(ValueError, match="has no name to be saved under"):
        A.serialize(lambda x: x)


def test_glu_odd_axis_raises():
    with pytest.raises(ValueError, match=r"glu: the gated axis must have an even size"):
        A.glu(np.ones((2, 3), "float32"))


def test_softmax_over_size_one_axis_warns():
    with pytest.warns(UserWarning, match="has size 1"):
        out = A.softmax(np.ones((3, 1), "float32"))
    np.testing.assert_array_equal(out, 1.0)
