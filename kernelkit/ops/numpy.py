"""Numpy-style ops (`keras.ops.numpy`): array creation, arithmetic, reductions, shapes.

On arrays (NumPy, JAX, traced) each op is the `jax.numpy` function of the same meaning. On
symbolic tensors (from `kernelkit.Input` or from layers called on one) it records an `OpLayer`
in the graph instead, so `model.add_loss(ops.sum(outputs))` and `ops.concatenate([a, b])` work
while building a functional model.

Example:
    >>> import numpy as np
    >>> from kernelkit import ops
    >>> float(ops.sum(np.ones((2, 3))))
    6.0
    >>> import kernelkit as kk
    >>> x = kk.Input(shape=(3,))
    >>> ops.mean(ops.square(x), axis=-1).shape
    (None,)
"""

from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp

from kernelkit.layers.operation import OpLayer
from kernelkit.layers.symbolic import SymbolicTensor, is_symbolic

__all__ = ["abs", "add", "clip", "concatenate", "divide", "exp", "expand_dims", "log", "matmul",
           "max", "maximum", "mean", "min", "minimum", "multiply", "negative", "power",
           "reshape", "sqrt", "square", "squeeze", "stack", "subtract", "sum", "transpose"]


def _apply(name: str, fn, args: tuple, kwargs: dict):
    """Runs `fn` on arrays, or records it as an `OpLayer` when a symbolic tensor is among args."""
    flat, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=is_symbolic)
    positions = [i for i, leaf in enumerate(flat) if isinstance(leaf, SymbolicTensor)]
    if not positions:
        return fn(*args, **kwargs)

    def call(*tensors):
        leaves = list(flat)
        for i, t in zip(positions, tensors):
            leaves[i] = t
        a, k = jax.tree_util.tree_unflatten(treedef, leaves)
        return fn(*a, **k)

    call.__name__ = name
    return OpLayer(call, name=name)(*[flat[i] for i in positions])


# `(source, output)` of one runnable `>>>` example per op, appended to its docstring.
_EXAMPLES = {
    "abs": ("abs(jnp.array([-1.0, 2.0])).tolist()", "[1.0, 2.0]"),
    "add": ("add(jnp.array([1.0, 2.0]), 3.0).tolist()", "[4.0, 5.0]"),
    "clip": ("clip(jnp.array([-2.0, 0.5, 2.0]), -1.0, 1.0).tolist()", "[-1.0, 0.5, 1.0]"),
    "concatenate": ("concatenate([jnp.zeros((1, 2)), jnp.ones((1, 2))], axis=0).tolist()",
                    "[[0.0, 0.0], [1.0, 1.0]]"),
    "divide": ("divide(jnp.array([1.0, 3.0]), 2.0).tolist()", "[0.5, 1.5]"),
    "exp": ("exp(jnp.array([0.0])).tolist()", "[1.0]"),
    "expand_dims": ("expand_dims(jnp.zeros((2, 3)), 0).shape", "(1, 2, 3)"),
    "log": ("log(jnp.array([1.0])).tolist()", "[0.0]"),
    "matmul": ("matmul(jnp.ones((2, 3)), jnp.ones((3, 4))).shape", "(2, 4)"),
    "max": ("float(max(jnp.array([1.0, 5.0, 3.0])))", "5.0"),
    "maximum": ("maximum(jnp.array([1.0, 5.0]), 2.0).tolist()", "[2.0, 5.0]"),
    "mean": ("mean(jnp.array([[1.0, 3.0], [5.0, 7.0]]), axis=-1).tolist()", "[2.0, 6.0]"),
    "min": ("float(min(jnp.array([1.0, 5.0, 3.0])))", "1.0"),
    "minimum": ("minimum(jnp.array([1.0, 5.0]), 2.0).tolist()", "[1.0, 2.0]"),
    "multiply": ("multiply(jnp.array([1.0, 2.0]), jnp.array([3.0, 4.0])).tolist()", "[3.0, 8.0]"),
    "negative": ("negative(jnp.array([1.0, -2.0])).tolist()", "[-1.0, 2.0]"),
    "power": ("power(jnp.array([2.0, 3.0]), 2).tolist()", "[4.0, 9.0]"),
    "reshape": ("reshape(jnp.arange(6), (2, 3)).shape", "(2, 3)"),
    "sqrt": ("sqrt(jnp.array([4.0, 9.0])).tolist()", "[2.0, 3.0]"),
    "square": ("square(jnp.array([2.0, -3.0])).tolist()", "[4.0, 9.0]"),
    "squeeze": ("squeeze(jnp.zeros((1, 3, 1))).shape", "(3,)"),
    "stack": ("stack([jnp.zeros(2), jnp.ones(2)], axis=0).shape", "(2, 2)"),
    "subtract": ("subtract(jnp.array([5.0, 2.0]), 1.0).tolist()", "[4.0, 1.0]"),
    "sum": ("sum(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()", "[4.0, 6.0]"),
    "transpose": ("transpose(jnp.zeros((2, 3))).shape", "(3, 2)"),
}


def _op(name: str, fn):
    @functools.wraps(fn)
    def op(*args, **kwargs):
        return _apply(name, fn, args, kwargs)

    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__  # not jax.numpy's: doctest collects only this module's names
    op.__doc__ = (f"`{name}` of Keras's `keras.ops`: `jax.numpy.{fn.__name__}` on arrays, an "
                  "`OpLayer` on symbolic tensors.")
    source, output = _EXAMPLES[name]
    op.__doc__ += f"\n\nExample:\n    >>> {source}\n    {output}\n"
    return op


def _sum(x, axis=None, keepdims=False):
    return jnp.sum(x, axis=axis, keepdims=keepdims)


def _mean(x, axis=None, keepdims=False):
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def _max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(x, axis=axis, keepdims=keepdims, initial=initial)


def _min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(x, axis=axis, keepdims=keepdims, initial=initial)


def _reshape(x, newshape):
    return jnp.reshape(x, newshape)


def _concatenate(xs, axis=0):
    return jnp.concatenate(list(xs), axis=axis)


def _stack(xs, axis=0):
    return jnp.stack(list(xs), axis=axis)


def _transpose(x, axes=None):
    return jnp.transpose(x, axes)


def _clip(x, x_min, x_max):
    return jnp.clip(x, x_min, x_max)


abs = _op("abs", jnp.abs)  # noqa: A001 - Keras's name
add = _op("add", jnp.add)
clip = _op("clip", _clip)
concatenate = _op("concatenate", _concatenate)
divide = _op("divide", jnp.true_divide)
exp = _op("exp", jnp.exp)
expand_dims = _op("expand_dims", jnp.expand_dims)
log = _op("log", jnp.log)
matmul = _op("matmul", jnp.matmul)
max = _op("max", _max)  # noqa: A001 - Keras's name
maximum = _op("maximum", jnp.maximum)
mean = _op("mean", _mean)
min = _op("min", _min)  # noqa: A001 - Keras's name
minimum = _op("minimum", jnp.minimum)
multiply = _op("multiply", jnp.multiply)
negative = _op("negative", jnp.negative)
power = _op("power", jnp.power)
reshape = _op("reshape", _reshape)
sqrt = _op("sqrt", jnp.sqrt)
square = _op("square", jnp.square)
squeeze = _op("squeeze", jnp.squeeze)
stack = _op("stack", _stack)
subtract = _op("subtract", jnp.subtract)
sum = _op("sum", _sum)  # noqa: A001 - Keras's name
transpose = _op("transpose", _transpose)

# doctest skips ops wrapping a ufunc (`inspect.unwrap` ends at a non-routine): run theirs here.
__test__ = {n: globals()[n].__doc__ for n in __all__
            if not inspect.isroutine(inspect.unwrap(globals()[n]))}
