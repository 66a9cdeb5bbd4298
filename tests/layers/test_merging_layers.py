"""Merging layers: Keras differential tests (with masks), configs, symbolic use and errors."""

import jax.numpy as jnp
import numpy as np
import pytest
from keras.src.backend import set_keras_mask

import kernelkit as kk
from tests.keras_oracle import assert_config_round_trip, assert_matches_keras, keras

RNG = np.random.default_rng(0)
A, B, C = (RNG.normal(size=(3, 4, 5)).astype("float32") for _ in range(3))
MASK_A = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 1, 1, 0]], bool)
MASK_B = np.array([[1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 1, 0]], bool)

ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]


def _pair(name, **kwargs):
    return getattr(kk.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_merges_match_keras(name):
    inputs = [A, B] if name == "Subtract" else [A, B, C]
    assert_matches_keras(*_pair(name), inputs)


@pytest.mark.parametrize("name", ["Add", "Multiply", "Maximum"])
def test_elementwise_merges_broadcast_like_keras(name):
    inputs = [A, B[:, :1, :], A[:, 0, :]]  # (3, 4, 5), (3, 1, 5) and a rank-2 (3, 5)
    assert_matches_keras(*_pair(name), inputs)


def _keras_masked(arrays, masks):
    out = []
    for x, m in zip(arrays, masks):
        x = jnp.asarray(x)
        if m is not None:
            set_keras_mask(x, jnp.asarray(m))
        out.append(x)
    return out


@pytest.mark.parametrize("name", ["Multiply", "Maximum", "Minimum", "Add"])
@pytest.mark.parametrize("masks", [[MASK_A, MASK_B], [MASK_A, None]])
def test_masked_merges_match_keras(name, masks):
    kk_layer, k_layer = _pair(name)
    k_out = k_layer(_keras_masked([A, B], masks))
    kk_out = kk_layer([A, B], mask=masks)
    np.testing.assert_allclose(np.asarray(kk_out), np.asarray(k_out), atol=1e-6)
    k_mask = k_layer.compute_mask([A, B], [None if m is None else jnp.asarray(m)
                                          for m in masks])
    kk_mask = kk_layer.compute_mask([A, B], masks)
    assert (kk_mask is None) == (k_mask is None)
    if k_mask is not None:
        np.testing.assert_array_equal(np.asarray(kk_mask), np.asarray(k_mask))


@pytest.mark.parametrize("axis", [-1, 1])
def test_concatenate_matches_keras(axis):
    other = B[:, :2] if axis == 1 else B[..., :3]
    assert_matches_keras(*_pair("Concatenate", axis=axis), [A, other])


@pytest.mark.parametrize("axis", [-1, 1])
def test_concatenate_mask_matches_keras(axis):
    kk_layer, k_layer = _pair("Concatenate", axis=axis)
    masks = [MASK_A, None]
    kk_mask = kk_layer.compute_mask([A, B], masks)
    k_mask = k_layer.compute_mask([jnp.asarray(A), jnp.asarray(B)], [jnp.asarray(MASK_A), None])
    np.testing.assert_array_equal(np.asarray(kk_mask), np.asarray(k_mask))
    assert kk_layer.compute_mask([A, B], [None, None]) is None


@pytest.mark.parametrize("axes, shapes", [
    (-1, [(3, 5), (3, 5)]),
    (1, [(3, 5), (3, 5)]),
    ((1, 2), [(3, 4, 5), (3, 6, 4)]),
    ((2, 2), [(3, 4, 5), (3, 6, 5)]),
    ((1, 1), [(3, 4, 5), (3, 4)]),
    (-1, [(3, 2, 4, 5), (3, 6, 5)]),
])
@pytest.mark.parametrize("normalize", [False, True])
def test_dot_matches_keras(axes, shapes, normalize):
    inputs = [RNG.normal(size=s).astype("float32") for s in shapes]
    assert_matches_keras(*_pair("Dot", axes=axes, normalize=normalize), inputs, atol=1e-5)


@pytest.mark.parametrize("layer", [
    kk.layers.Add(), kk.layers.Subtract(), kk.layers.Multiply(), kk.layers.Average(),
    kk.layers.Maximum(), kk.layers.Minimum(), kk.layers.Concatenate(axis=1),
    kk.layers.Dot(axes=(2, 2), normalize=True),
], ids=lambda layer: type(layer).__name__)
def test_merge_config_round_trip(layer):
    assert_config_round_trip(layer, [A, B])
    k_config = getattr(keras.layers, type(layer).__name__).from_config(
        {k: v for k, v in layer.get_config().items() if k != "dtype"}).get_config()
    assert set(k_config) == set(layer.get_config())


def test_merges_on_symbolic_inputs_build_a_model():
    a, b = kk.Input(shape=(4, 5)), kk.Input(shape=(4, 5))
    assert kk.layers.Add()([a, b]).shape == (None, 4, 5)
    assert kk.layers.Concatenate(axis=1)([a, b]).shape == (None, 8, 5)
    assert kk.layers.Dot(axes=(2, 2))([a, b]).shape == (None, 4, 4)
    out = kk.layers.Maximum()([a, kk.layers.Subtract()([a, b])])
    model = kk.Model([a, b], out)
    np.testing.assert_allclose(np.asarray(model([A, B])), np.maximum(A, A - B), atol=1e-6)


@pytest.mark.parametrize("name, inputs, message", [
    ("Add", lambda: A, r"Add 'add': a merge layer must be called on a list of tensors\. "
                       r"Expected a list of at least 1 input\(s\)\. Received: input_shape="
                       r"\(3, 4, 5\)"),
    ("Subtract", lambda: [A, B, C], r"Subtract 'subtract': wrong number of inputs\. Expected "
                                    r"exactly 2 inputs\. Received: 3 inputs with shapes"),
    ("Add", lambda: [A, B[:, :3]], r"Add 'add': inputs have incompatible shapes\. Expected "
                                   r"shapes that broadcast element-wise.*Received: shapes "
                                   r"\(4, 5\) and \(3, 5\)"),
    ("Maximum", lambda: [A, B[:2]], r"Maximum 'maximum': cannot merge tensors with different "
                                    r"batch sizes\. Expected the same first dimension\. "
                                    r"Received: shapes \[\(3, 4, 5\), \(2, 4, 5\)\]"),
])
def test_merge_errors(name, inputs, message):
    with pytest.raises(ValueError, match=message):
        getattr(kk.layers, name)()(inputs())


def test_merge_mask_list_length_error():
    with pytest.raises(ValueError, match=r"Add 'add': the lists of inputs and masks have "
                                         r"different lengths\. Expected one mask.*Received: 2 "
                                         r"inputs and 3 masks"):
        kk.layers.Add().compute_mask([A, B], [MASK_A, MASK_B, MASK_A])


def test_concatenate_errors():
    with pytest.raises(ValueError, match=r"Concatenate 'concatenate': the inputs' shapes do not "
                                         r"match except on the concatenation axis\. Expected "
                                         r"equal ranks.*Received: input_shape=\[\(3, 4, 5\), "
                                         r"\(3, 3, 5\)\]"):
        kk.layers.Concatenate()([A, B[:, :3]])


def test_dot_errors():
    with pytest.raises(TypeError, match=r"Dot 'dot': invalid type for `axes`\. Expected an int "
                                        r"or a pair of ints\. Received: axes='x'"):
        kk.layers.Dot(axes="x")
    with pytest.raises(ValueError, match=r"Dot 'dot_1': invalid format for `axes`\. Expected "
                                         r"two integers.*Received: axes=\(1, 2, 3\)"):
        kk.layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match=r"Dot 'dot_2': incompatible input shapes\. Expected "
                                         r"equal sizes on the contracted axes\. Received: 5 "):
        kk.layers.Dot(axes=-1)([A, B[..., :4]])
    with pytest.raises(ValueError, match=r"Dot 'dot_3': cannot take the dot product over the "
                                         r"batch axis 0\. Expected axes >= 1"):
        kk.layers.Dot(axes=0)([A, B])
    with pytest.raises(ValueError, match=r"Dot 'dot_4': wrong number of inputs\. Expected "
                                         r"exactly 2 inputs\. Received: 3"):
        kk.layers.Dot(axes=1)([A, B, C])
    with pytest.raises(ValueError, match=r"Dot 'dot_5': inputs must have rank at least 2"):
        kk.layers.Dot(axes=1)([A[:, 0, 0], B[:, 0, 0]])
