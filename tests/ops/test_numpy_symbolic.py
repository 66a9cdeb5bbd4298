"""Numpy ops on symbolic tensors: Keras's output shapes (with `None`) and dtypes; ops in a model."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import kernelkit as kk
from kernelkit import ops
from tests.keras_oracle import keras

# (theme, op) -> a function of (ops module, float tensor (None, 3, 4), int8 tensor (None, 3, 4)).
SYMBOLIC = {
    "creation-zeros_like": lambda o, f, i: o.zeros_like(i),
    "creation-full_like": lambda o, f, i: o.full_like(f, 2.0, dtype="int32"),
    "creation-copy": lambda o, f, i: o.copy(i),
    "math-exp-int": lambda o, f, i: o.exp(i),
    "math-log": lambda o, f, i: o.log(f),
    "math-floor-int": lambda o, f, i: o.floor(i),
    "elementwise-abs": lambda o, f, i: o.abs(i),
    "elementwise-isnan": lambda o, f, i: o.isnan(f),
    "elementwise-round": lambda o, f, i: o.round(f, 1),
    "elementwise-clip": lambda o, f, i: o.clip(i, 0, 3),
    "binary-add": lambda o, f, i: o.add(f, i),
    "binary-multiply-scalar": lambda o, f, i: o.multiply(i, 2),
    "binary-divide-int": lambda o, f, i: o.divide(i, i),
    "binary-greater": lambda o, f, i: o.greater(f, 0.0),
    "binary-broadcast": lambda o, f, i: o.subtract(f, o.mean(f, axis=-1, keepdims=True)),
    "reductions-sum": lambda o, f, i: o.sum(f, axis=-1),
    "reductions-mean-int": lambda o, f, i: o.mean(i, axis=(1, 2)),
    "reductions-max-keepdims": lambda o, f, i: o.max(f, axis=1, keepdims=True),
    "reductions-argmax": lambda o, f, i: o.argmax(f, axis=-1),
    "reductions-var": lambda o, f, i: o.var(i, axis=1),
    "reductions-cumsum": lambda o, f, i: o.cumsum(f, axis=1),
    "reductions-quantile": lambda o, f, i: o.quantile(f, 0.5, axis=-1),
    "shape-reshape": lambda o, f, i: o.reshape(f, (-1, 12)),
    "shape-transpose": lambda o, f, i: o.transpose(f, (0, 2, 1)),
    "shape-expand_dims": lambda o, f, i: o.expand_dims(f, -1),
    "shape-concatenate": lambda o, f, i: o.concatenate([f, f], axis=-1),
    "shape-stack": lambda o, f, i: o.stack([f, f], axis=1),
    "shape-split": lambda o, f, i: o.split(f, 2, axis=-1),
    "shape-tile": lambda o, f, i: o.tile(f, (1, 2, 1)),
    "shape-pad": lambda o, f, i: o.pad(f, ((0, 0), (1, 1), (0, 2))),
    "shape-get_item": lambda o, f, i: o.get_item(f, (slice(None), 0)),
    "shape-take": lambda o, f, i: o.take(f, jnp.array([0, 2]), axis=1),
    "shape-flip": lambda o, f, i: o.flip(f, axis=1),
    "products-matmul": lambda o, f, i: o.matmul(f, o.transpose(f, (0, 2, 1))),
    "products-einsum": lambda o, f, i: o.einsum("bij,bkj->bik", f, f),
    "products-tensordot": lambda o, f, i: o.tensordot(f, jnp.ones((4, 5)), axes=1),
    "products-diff": lambda o, f, i: o.diff(f, axis=1),
    "search-sort": lambda o, f, i: o.sort(f),
    "search-argsort": lambda o, f, i: o.argsort(i, axis=1),
    "search-where": lambda o, f, i: o.where(o.greater(f, 0.0), f, 0.0),
    "search-isin": lambda o, f, i: o.isin(i, jnp.array([1, 2], "int8")),
}


def _spec(out):
    if isinstance(out, list | tuple):
        return [_spec(o) for o in out]
    return tuple(out.shape), jnp.dtype(out.dtype).name


@pytest.fixture(scope="module")
def keras_inputs():
    return keras.KerasTensor((None, 3, 4)), keras.KerasTensor((None, 3, 4), dtype="int8")


@pytest.mark.parametrize("case", sorted(SYMBOLIC))
def test_symbolic_shape_and_dtype_match_keras(case, keras_inputs):
    f, i = kk.Input(shape=(3, 4)), kk.Input(shape=(3, 4), dtype="int8")
    ours = SYMBOLIC[case](ops, f, i)
    theirs = SYMBOLIC[case](keras.ops, *keras_inputs)
    assert _spec(ours) == _spec(theirs)


def test_ops_work_under_jit_grad_and_vmap():
    def loss(w, x):
        return ops.mean(ops.square(ops.subtract(ops.matmul(x, w), 1.0)))

    x, w = jnp.ones((4, 3)), jnp.zeros((3, 2))
    grad = jax.jit(jax.grad(loss))(w, x)
    np.testing.assert_allclose(grad, jax.grad(lambda w: jnp.mean((x @ w - 1.0) ** 2))(w))
    per_row = jax.vmap(lambda row: ops.sum(ops.exp(row)))(x)
    np.testing.assert_allclose(per_row, np.full(4, 3 * np.e), rtol=1e-6)


def test_a_functional_model_of_ops_fits_and_predicts():
    inputs = kk.Input(shape=(4,))
    hidden = kk.layers.Dense(3)(inputs)
    features = ops.concatenate([ops.tanh(hidden), ops.square(hidden)], axis=-1)
    outputs = kk.layers.Dense(1)(ops.subtract(features, ops.mean(features, axis=-1, keepdims=True)))
    model = kk.Model(inputs, outputs)
    model.compile("adam", "mse")
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    y = x.sum(axis=-1, keepdims=True)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(x, verbose=0).shape == (16, 1)


@pytest.mark.parametrize("name", ["nonzero", "unique"])
def test_value_dependent_ops_refuse_symbolic_tensors_clearly(name):
    with pytest.raises(ValueError, match=f"^{name}: the output shape depends on the input"):
        getattr(ops, name)(kk.Input(shape=(3,)))
