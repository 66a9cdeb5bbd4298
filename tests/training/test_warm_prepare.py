"""Issue 18: a warm `fit` on data of the same spec skips the preparation (no forward trace),
and any change of spec, compile or structure prepares again and still checks the targets."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit import layers


class _CountingDense(layers.Dense):
    """A Dense layer that counts how often its Python `call` runs (traces and eager calls)."""

    calls = 0

    def call(self, inputs):
        type(self).calls += 1
        return super().call(inputs)


def _model():
    model = kk.Sequential([kk.Input((4,)), _CountingDense(3, name="head")])
    model.compile("sgd", "mse")
    return model


def _data(n=32, features=4, units=3, dtype="float32"):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, features)).astype(dtype), rng.normal(size=(n, units)).astype(dtype)


def test_a_warm_fit_does_not_trace_the_model_again():
    model = _model()
    x, y = _data()
    model.fit(x, y, batch_size=8, verbose=0)
    before = _CountingDense.calls
    model.fit(x, y, batch_size=8, verbose=0)
    model.fit(x + 1.0, y - 1.0, batch_size=8, verbose=0)  # new values: the same spec
    assert _CountingDense.calls == before


def test_a_new_dtype_or_a_recompile_prepares_again():
    model = _model()
    x, y = _data()
    model.fit(x, y, batch_size=8, verbose=0)
    before = _CountingDense.calls
    model.fit(x.astype("float64"), y, batch_size=8, verbose=0)
    assert _CountingDense.calls > before
    before = _CountingDense.calls
    model.compile("adam", "mse")
    model.fit(x, y, batch_size=8, verbose=0)
    assert _CountingDense.calls > before


def test_targets_of_a_new_shape_are_still_refused_after_a_warm_fit():
    model = _model()
    x, y = _data()
    model.fit(x, y, batch_size=8, verbose=0)
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"targets for output 'head' do not fit the output"):
        model.fit(x, np.zeros((32, 5), "float32"), batch_size=8, verbose=0)
    for a, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_out_of_range_labels_are_still_refused_after_a_warm_fit():
    model = kk.Sequential([kk.Input((4,)), layers.Dense(3, name="head")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    x = np.ones((16, 4), "float32")
    model.fit(x, np.zeros((16,), "int32"), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="out of range"):
        model.fit(x, np.full((16,), 7, "int32"), batch_size=8, verbose=0)


def test_a_changed_stack_of_layers_prepares_again():
    model = _model()
    x, y = _data()
    model.fit(x, y, batch_size=8, verbose=0)
    model.pop()
    model.add(layers.Dense(5, name="wider"))
    with pytest.raises(ValueError, match=r"targets for output 'wider' do not fit the output"):
        model.fit(x, y, batch_size=8, verbose=0)
