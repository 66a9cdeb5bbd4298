"""`fit()` refuses bad input with a clear error and leaves the model untouched (catalogue 3.4,
statements 94-100, 3.22 254-255)."""

import collections

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers

Batch = collections.namedtuple("Batch", ["x", "y"])


def _two_inputs():
    a, b = kk.Input((3,), name="a"), kk.Input((2,), name="b")
    model = kk.Model([a, b], layers.Dense(2)(layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    return model


N = 10
XA = np.ones((N, 3), "float32")
XB = np.ones((N, 2), "float32")
Y = np.ones((N, 2), "float32")

CASES = {
    "x_y_lengths": ([XA, XB], Y[:9], {}, r"x and y have different numbers of samples: x has 10"),
    "inputs_lengths": ([XA, XB[:9]], Y, {}, r"arrays in x have different numbers of samples"),
    "y_shape": ([XA, XB], np.ones((N, 3)), {}, r"targets for output .* do not fit the output"),
    "empty": ([XA[:0], XB[:0]], Y[:0], {}, r"x has no samples"),
    "batch_size_0": ([XA, XB], Y, {"batch_size": 0}, r"batch_size must be a positive integer"),
    "batch_size_neg": ([XA, XB], Y, {"batch_size": -4}, r"batch_size must be a positive"),
    "batch_size_float": ([XA, XB], Y, {"batch_size": 2.5}, r"batch_size must be a positive"),
    "dict_missing": ({"a": XA}, Y, {}, r"Expected keys \['a', 'b'\]. Missing: \['b'\]"),
    "dict_unknown": ({"a": XA, "b": XB, "c": XB}, Y, {}, r"unknown: \['c'\]"),
    "too_few_inputs": ([XA], Y, {}, r"expects 2 input\(s\) \['a', 'b'\]"),
    "feature_dim": ([XA[:, :2], XB], Y, {}, r"input 'a' expected shape \(None, 3\), but "
                                             r"received float32\[10, 2\]"),
    "object_dtype": ([np.array([None] * N, object), XB], Y, {}, r"has dtype object"),
    "scalar_x": ([np.float32(1.0), XB], Y, {}, r"contains a scalar"),
    "y_outputs_dict": ([XA, XB], {"nope": Y}, {}, r"names output\(s\) \['nope'\]"),
    "gen_string": (iter(["abc"]), None, {}, r"Batch 0 has an invalid structure"),
    "gen_none": (iter([None]), None, {}, r"Batch 0 has an invalid structure"),
    "gen_5_tuple": (iter([([XA, XB], Y, None, Y, Y)]), None, {},
                    r"A batch must be a tuple of length 1, 2 or 3.*length 5"),
    "gen_namedtuple": (iter([Batch([XA, XB], Y)]), None, {},
                       r"yielded a namedtuple \(Batch\).*tuple\(batch\) or batch._asdict"),
    "gen_lengths": (iter([([XA, XB], Y[:5])]), None, {},
                    r"Batch 0 holds arrays of different lengths \[5, 10\]"),
    "gen_structure": (iter([(XA, Y)]), None, {}, r"expects 2 input\(s\)"),
    "gen_empty": (iter([]), None, {}, r"The data iterator is empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_raises_and_leaves_weights_untouched(case):  # 94-100, 254, 255
    x, y, kwargs, match = CASES[case]
    model = _two_inputs()
    model([XA[:1], XB[:1]])
    before = model.get_weights()
    with pytest.raises(ValueError, match=match):
        model.fit(x, y, verbose=0, **kwargs)
    for u, v in zip(before, model.get_weights()):
        np.testing.assert_array_equal(u, v)
    model.fit([XA, XB], Y, verbose=0)  # the model still trains afterwards
    assert model.history.history["loss"]


def test_unknown_fit_keyword_raises_type_error():
    model = _two_inputs()
    with pytest.raises(TypeError, match=r"fit: unexpected keyword argument\(s\) \['epoch'\]"):
        model.fit([XA, XB], Y, epoch=3)


def test_legacy_worker_arguments_are_accepted():
    model = _two_inputs()
    history = model.fit([XA, XB], Y, verbose=0, workers=2, use_multiprocessing=False,
                        max_queue_size=4)
    assert len(history.history["loss"]) == 1


def test_uncompiled_errors_name_the_method():
    model = kk.Sequential([kk.Input((3,)), layers.Dense(1)])
    with pytest.raises(kk.NotCompiledError, match=r"compile\(\) before fit\(\)"):
        model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    with pytest.raises(RuntimeError, match=r"compile\(\) before fit\(\)"):
        model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
