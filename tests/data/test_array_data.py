"""`ArrayData`: conversion, sample counts, the validation split, dispatch plans, class weights."""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

from kernelkit.data import ArrayData, Execution, class_weight_to_sample_weight


def test_converts_lists_dicts_pandas_and_keeps_jax_arrays():
    x_jax = jnp.ones((4, 2))
    data = ArrayData({"a": x_jax, "b": pd.DataFrame(np.zeros((4, 3)))},
                     pd.Series(np.arange(4.0)))
    assert data.x["a"] is x_jax
    assert isinstance(data.x["b"], np.ndarray) and data.x["b"].shape == (4, 3)
    assert data.y.shape == (4,) and data.num_samples == 4
    nested = ArrayData([[1.0, 2.0], [3.0, 4.0]])  # nested Python lists: one array
    assert isinstance(nested.x, np.ndarray) and nested.x.shape == (2, 2)


@pytest.mark.parametrize("x, y, w, match", [
    (np.ones((3, 2)), np.ones(4), None, r"x and y have different numbers of samples"),
    (np.ones((3, 2)), None, np.ones(2), r"sample_weight has 2 entries but x has 3"),
    (np.ones((0, 2)), None, None, r"x has no samples"),
    ([np.ones((3, 2)), np.ones((2, 2))], None, None, r"different numbers of samples: \[2, 3\]"),
    (np.array([object(), object()]), None, None, r"has dtype object"),
])
def test_bad_arrays_raise(x, y, w, match):
    with pytest.raises(ValueError, match=match):
        ArrayData(x, y, w)


def test_unconvertible_input_raises_type_error():
    class Opaque:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no")

    with pytest.raises(TypeError, match=r"Could not convert x to an array"):
        ArrayData(Opaque())


def test_split_keeps_order_and_takes_the_tail():
    data = ArrayData(np.arange(10)[:, None], np.arange(10), np.ones(10))
    train, val = data.split(0.3)
    assert train.x[:, 0].tolist() == list(range(7))
    assert val.y.tolist() == [7, 8, 9] and val.sample_weight.shape == (3,)


@pytest.mark.parametrize("n, batch, steps, group, expected", [
    (100, 10, None, 32, [Execution(0, 10, 10)]),
    (97, 10, None, 4, [Execution(0, 4, 10), Execution(40, 4, 10), Execution(80, 1, 10),
                       Execution(90, 1, 7)]),
    (100, 10, 3, 32, [Execution(0, 3, 10)]),
    (25, 10, 5, 1, [Execution(0, 1, 10), Execution(10, 1, 10), Execution(20, 1, 5),
                    Execution(5, 1, 10), Execution(15, 1, 10)]),
])
def test_executions(n, batch, steps, group, expected):
    assert ArrayData(np.zeros((n, 1))).executions(batch, steps, group) == expected


def test_class_weight_to_sample_weight():
    cw = {0: 0.5, 2: 3.0}
    np.testing.assert_allclose(class_weight_to_sample_weight(np.array([0, 1, 2]), cw, 3),
                               [0.5, 1.0, 3.0])  # a class missing from the dict weighs 1
    np.testing.assert_allclose(class_weight_to_sample_weight(np.array([[2.0], [0.0]]), cw),
                               [3.0, 0.5])
    one_hot = np.eye(3)[[2, 0, 1]]
    np.testing.assert_allclose(class_weight_to_sample_weight(one_hot, cw), [3.0, 0.5, 1.0])
    assert class_weight_to_sample_weight(np.zeros((0,)), cw).shape == (0,)


def test_apply_class_weight_needs_targets():
    with pytest.raises(ValueError, match=r"class_weight needs targets y"):
        ArrayData(np.ones((3, 2))).apply_class_weight({0: 1.0})
