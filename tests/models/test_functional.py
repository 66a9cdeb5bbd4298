"""Functional models: catalogue 3.1 and 3.21 (inputs, outputs, nesting, sub-models)."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers
from tests.keras_oracle import keras


def _mlp():
    a = kk.Input(shape=(32,))
    b = layers.Dense(32)(a)
    return a, b, kk.Model(inputs=a, outputs=b)


def test_single_io_model_calls_on_arrays():
    _, _, m = _mlp()
    assert np.asarray(m(np.zeros((4, 32), "float32"))).shape == (4, 32)


def test_multi_io_model_returns_outputs_in_order():
    a1, a2 = kk.Input(shape=(3,)), kk.Input(shape=(5,))
    h = layers.Dense(4)(a1)
    b1, b2, b3 = layers.Dense(1)(h), layers.Dense(2)(a2), layers.Dense(3)(h)
    m = kk.Model(inputs=[a1, a2], outputs=[b1, b2, b3])
    out = m([np.ones((6, 3)), np.ones((6, 5))])
    assert [o.shape for o in out] == [(6, 1), (6, 2), (6, 3)]


def test_softmax_rows_sum_to_one():
    x = kk.Input((3,))
    h = layers.Dense(4, activation="relu")(x)
    out = layers.Dense(5, activation="softmax")(h)
    y = np.asarray(kk.Model(x, out)(np.random.rand(7, 3)))
    assert y.shape == (7, 5)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)


def test_positional_and_keyword_forms_are_the_same_model():
    a = kk.Input(shape=(3,))
    b = layers.Dense(2)(a)
    m1, m2 = kk.Model(a, b), kk.Model(inputs=a, outputs=b)
    x = np.random.rand(4, 3)
    np.testing.assert_array_equal(np.asarray(m1(x)), np.asarray(m2(x)))
    assert [w is v for w, v in zip(m1.weights, m2.weights)] == [True, True]


def test_dict_inputs_are_matched_by_key():
    ia, ib = kk.Input(shape=(2,), name="a"), kk.Input(shape=(3,), name="b")
    out = layers.Dense(1)(ia) + layers.Dense(1)(ib)
    m = kk.Model({"a": ia, "b": ib}, out)
    y = m({"a": np.ones((4, 2)), "b": np.ones((4, 3))})
    assert y.shape == (4, 1)
    with pytest.raises(ValueError, match=r"Missing: \['b'\]"):
        m({"a": np.ones((4, 2))})
    with pytest.raises(ValueError, match=r"unknown: \['c'\]"):
        m({"a": np.ones((4, 2)), "b": np.ones((4, 3)), "c": np.ones((4, 1))})


def test_list_model_accepts_dict_by_input_name():
    ia, ib = kk.Input(shape=(2,), name="left"), kk.Input(shape=(2,), name="right")
    m = kk.Model([ia, ib], layers.Dense(1)(ia) + layers.Dense(1)(ib))
    x = np.random.rand(3, 2)
    np.testing.assert_allclose(np.asarray(m({"left": x, "right": 2 * x})),
                               np.asarray(m([x, 2 * x])))


def test_wrong_number_of_inputs_and_wrong_feature_size_raise():
    ia, ib = kk.Input(shape=(2,)), kk.Input(shape=(2,))
    m = kk.Model([ia, ib], layers.Dense(1)(ia) + layers.Dense(1)(ib))
    with pytest.raises(ValueError, match=r"expects 2 input\(s\)"):
        m(np.ones((3, 2)))
    _, _, single = _mlp()
    with pytest.raises(ValueError, match=r"expected shape \(None, 32\), but received "
                                         r"float32\[4, 7\]"):
        single(np.ones((4, 7), "float32"))


def test_submodel_from_intermediate_tensors_shares_weights():
    inputs = kk.Input(shape=(8,))
    processed = layers.Dense(6, activation="relu")(inputs)
    conv = layers.Dense(4)(processed)
    feature = layers.Dense(2)(conv)
    full = kk.Model(inputs, feature)
    backbone = kk.Model(processed, conv)
    head = kk.Model(conv, feature)
    assert isinstance(backbone.layers[0], layers.InputLayer)
    assert backbone.layers[1] is full.layers[2]
    x = np.random.rand(5, 8).astype("float32")
    stacked = head(backbone(full.layers[1](x)))
    np.testing.assert_allclose(np.asarray(stacked), np.asarray(full(x)), rtol=1e-6)
    full.layers[2].kernel[...] = full.layers[2].kernel[...] * 2.0
    np.testing.assert_array_equal(backbone.get_weights()[0], full.get_weights()[2])


def test_dangling_branch_is_not_in_layers():
    x = kk.Input((3,))
    used = layers.Dense(2)(x)
    layers.Dense(7, name="dangling")(x)
    m = kk.Model(x, used)
    assert "dangling" not in [layer.name for layer in m.layers]


def test_disconnected_graph_raises():
    x1, x2 = kk.Input((3,)), kk.Input((3,))
    y = layers.Dense(2)(x2)
    with pytest.raises(ValueError, match="graph disconnected"):
        kk.Model(x1, y)


def test_non_symbolic_outputs_raise_type_error():
    x = kk.Input((3,))
    with pytest.raises(TypeError, match="must be symbolic tensors"):
        kk.Model(x, np.zeros(3))


def test_model_is_a_layer_nested_in_another_model_and_shares_weights():
    _, _, inner = _mlp()
    outer_in = kk.Input(shape=(32,))
    outer = kk.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    x = np.random.rand(2, 32)
    manual = outer.layers[-1](inner(x))
    np.testing.assert_allclose(np.asarray(outer(x)), np.asarray(manual), rtol=1e-6)
    assert inner.weights[0] is outer.weights[0]
    assert outer.count_params() == inner.count_params() + 33


def test_shared_layer_at_two_nodes_has_one_set_of_weights():
    shared = layers.Dense(3)
    a, b = kk.Input((4,)), kk.Input((4,))
    m = kk.Model([a, b], shared(a) + shared(b))
    assert len(m.weights) == 2
    x = np.random.rand(2, 4)
    np.testing.assert_allclose(np.asarray(m([x, x])), 2 * np.asarray(shared(x)), rtol=1e-6)


def test_name_and_unique_auto_names():
    x = kk.Input((3,))
    assert kk.Model(x, layers.Dense(1)(x), name="foo").name == "foo"
    m1, m2 = kk.Model(x, layers.Dense(1)(x)), kk.Model(x, layers.Dense(1)(x))
    assert m1.name != m2.name


def test_input_output_properties():
    a1, a2 = kk.Input(shape=(32,)), kk.Input(shape=(4,))
    y = layers.Dense(2)(a1)
    single = kk.Model(a1, y)
    assert single.input is a1 and single.output is y
    assert single.input_shape == (None, 32) and single.output_shape == (None, 2)
    multi = kk.Model([a1, a2], [y, layers.Dense(1)(a2)])
    assert isinstance(multi.input, list) and multi.input == [a1, a2]
    assert multi.input_shape == [(None, 32), (None, 4)]
    assert isinstance(single.input_spec, kk.InputSpec)
    assert isinstance(multi.input_spec, list) and len(multi.input_spec) == 2
    assert single.get_input_at(0) is a1 and single.get_output_at(0) is y
    assert single.get_input_shape_at(0) == (None, 32)
    assert single.get_output_shape_at(0) == (None, 2)


def test_layer_input_output_of_first_call():
    x = kk.Input((3,))
    d = layers.Dense(2)
    y = d(x)
    assert d.input is x and d.output is y
    with pytest.raises(AttributeError, match="never called on a symbolic tensor"):
        _ = layers.Dense(2).output
    with pytest.raises(ValueError, match="node index 3 out of range"):
        d.get_output_at(3)


def test_layer_order_and_weights_match_keras_for_a_branching_graph():
    def build(lib):
        x = lib.Input(shape=(4,), name="x")
        a = lib.layers.Dense(3, name="a")(x)
        b = lib.layers.Dense(2, name="b")(x)
        c = lib.layers.Dense(5, name="c")(a)
        return lib.Model(x, [c, b])

    k_model, kk_model = build(keras), build(kk)
    assert [layer.name for layer in kk_model.layers] == [layer.name for layer in k_model.layers]
    kk_model.set_weights(k_model.get_weights())
    x = np.random.rand(3, 4).astype("float32")
    for ours, theirs in zip(kk_model(x), k_model(x)):
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), atol=1e-6)


def test_symbolic_arithmetic_records_a_layer():
    x = kk.Input((3,))
    y = layers.Dense(3)(x)
    m = kk.Model(x, (y * 2.0) - x)
    data = np.random.rand(2, 3)
    np.testing.assert_allclose(np.asarray(m(data)),
                               2.0 * np.asarray(m.layers[1](data)) - data, rtol=1e-6)
